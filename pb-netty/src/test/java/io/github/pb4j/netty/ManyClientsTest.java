package io.github.pb4j.netty;

import static io.github.pb4j.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.RemoteReference;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many clients in one process: by default they share pb4j's event loop group (one thread per CPU),
 * which the last close shuts down; close() is safe on the event loop; executor() is the loop.
 */
@Timeout(120)
class ManyClientsTest {
  private static final int CLIENTS = 200;

  private final List<AutoCloseable> resources = new ArrayList<>();
  private PbServer server;

  @BeforeEach
  void start() throws Exception {
    // Tests before this one close their clients; some only start closing them. A client that is
    // never closed holds the shared group for good, and fails this wait.
    waitUntil(
        () -> SharedEventLoopGroup.current() == null,
        "no client holds the shared group (did a test leave a PbClient open?)");
    server = track(PbServer.builder().host("127.0.0.1").port(0).root(new TestRoot())
        .eventLoopThreads(2).build().start());
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  @Test
  void twoHundredClientsShareABoundedNumberOfThreads() throws Exception {
    int threadsBefore = Thread.activeCount();
    List<PbClient> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(PbClient.builder().host("127.0.0.1").port(server.port()).build());
    }
    EventLoopGroup shared = SharedEventLoopGroup.current();
    assertThat(shared).isNotNull();
    List<CompletableFuture<@Nullable Object>> answers = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      int n = i;
      answers.add(clients.get(i).getRootObject().thenCompose(root -> root.callRemote("echo", n)));
    }
    for (int i = 0; i < CLIENTS; i++) {
      assertThat(await(answers.get(i))).isEqualTo(i);
    }

    long clientThreads = liveThreadsNamed(SharedEventLoopGroup.THREAD_NAME_PREFIX);
    assertThat(clientThreads).isBetween(1L, (long) SharedEventLoopGroup.threads());
    // The server's two loops, the shared group, and a little slack for the JVM's own threads.
    assertThat(Thread.activeCount() - threadsBefore)
        .isLessThanOrEqualTo(SharedEventLoopGroup.threads() + 2 + 4);
    assertThat(clients).allMatch(c -> contains(shared, c));

    for (int i = 0; i < CLIENTS - 1; i++) {
      clients.get(i).close();
    }
    assertThat(SharedEventLoopGroup.current()).isSameAs(shared);
    assertThat(shared.isShuttingDown()).isFalse();
    assertThat(await(await(clients.get(CLIENTS - 1).getRootObject()).callRemote("echo", "last")))
        .isEqualTo("last");

    clients.get(CLIENTS - 1).close();
    assertThat(SharedEventLoopGroup.current()).isNull();
    assertThat(shared.terminationFuture().await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(shared.isTerminated()).isTrue();
    waitUntil(
        () -> liveThreadsNamed(SharedEventLoopGroup.THREAD_NAME_PREFIX) == 0,
        "the shared group's threads end");
  }

  @Test
  void aClientBuiltAfterTheLastCloseGetsAFreshGroup() throws Exception {
    PbClient first = PbClient.builder().host("127.0.0.1").port(server.port()).build();
    EventLoopGroup group = SharedEventLoopGroup.current();
    first.close();
    PbClient second = track(PbClient.builder().host("127.0.0.1").port(server.port()).build());

    assertThat(group.isShuttingDown()).isTrue();
    assertThat(SharedEventLoopGroup.current()).isNotNull().isNotSameAs(group);
    assertThat(await(await(second.getRootObject()).callRemote("echo", 1))).isEqualTo(1);
  }

  @Test
  void closeInACallbackOnTheEventLoopStartsTheCloseAndReturns() throws Exception {
    PbClient client = PbClient.builder().host("127.0.0.1").port(server.port()).build();
    try {
      RemoteReference root = await(client.getRootObject());

      CompletableFuture<@Nullable Object> closedInCallback =
          root.callRemote("echo", "x")
              .thenApplyAsync(
                  answer -> {
                    assertThat(client.executor().inEventLoop()).isTrue();
                    client.close(); // Neither throws nor waits for the loop it runs on.
                    return answer;
                  },
                  client.executor());

      assertThat(await(closedInCallback)).isEqualTo("x");
    } finally {
      await(client.closeAsync());
    }
    assertThat(client.isConnected()).isFalse();
    waitUntil(() -> SharedEventLoopGroup.current() == null, "the last client released the group");
  }

  @Test
  void closeOfAnotherClientOnTheSharedLoopDoesNotDeadlock() throws Exception {
    PbClient a = track(PbClient.builder().host("127.0.0.1").port(server.port()).build());
    PbClient b = PbClient.builder().host("127.0.0.1").port(server.port()).build();
    await(b.getRootObject());

    await(a.getRootObject().thenRun(b::close));

    await(b.closeAsync());
    assertThat(b.isConnected()).isFalse();
    assertThat(await(await(a.getRootObject()).callRemote("echo", 2))).isEqualTo(2);
  }

  @Test
  void closeOnTheLoopOfAGivenGroupDoesNotDeadlockAndLeavesTheGroupRunning() throws Exception {
    EventLoopGroup own = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      PbClient client =
          PbClient.builder().host("127.0.0.1").port(server.port()).eventLoopGroup(own).build();
      await(client.getRootObject().thenRun(client::close));
      await(client.closeAsync());
      assertThat(client.isConnected()).isFalse();
      assertThat(own.isShuttingDown()).isFalse();
    } finally {
      own.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void executorIsTheConnectionsEventLoopFromTheStart() throws Exception {
    PbClient client = track(PbClient.builder().host("127.0.0.1").port(server.port()).build());
    var executor = client.executor();

    RemoteReference root = await(client.getRootObject());
    assertThat(client.broker().orElseThrow().executor()).isSameAs(executor);
    CompletableFuture<@Nullable Object> onLoop = new CompletableFuture<>();
    executor.execute(
        () -> root.callRemote("echo", "on the loop").whenComplete((v, e) -> {
          if (e != null) {
            onLoop.completeExceptionally(e);
          } else {
            onLoop.complete(executor.inEventLoop() ? v : "completed elsewhere");
          }
        }));
    assertThat(await(onLoop)).isEqualTo("on the loop");
  }

  @Test
  void aGroupThatCannotRunSocketsIsRefusedWithAMessage() throws Exception {
    EventLoopGroup local = new DefaultEventLoopGroup(1);
    try {
      assertThatThrownBy(() -> PbClient.builder().eventLoopGroup(local))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("DefaultEventLoopGroup cannot run sockets")
          .hasMessageContaining("NioIoHandler");
    } finally {
      local.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  private static boolean contains(EventLoopGroup group, PbClient client) {
    for (var loop : group) {
      if (loop == client.executor()) {
        return true;
      }
    }
    return false;
  }

  private static long liveThreadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix + "-"))
        .count();
  }

  /** Waits for a state that no event announces (a thread's end, another test's late close). */
  private static void waitUntil(BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(10);
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }
}
