package io.github.pb4j.netty;

import static io.github.pb4j.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.Broker;
import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.DeadReferenceException;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.paging.BytesPager;
import io.github.pb4j.paging.Paging;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Java client against Java server over loopback TCP. */
@Timeout(20)
class PbServerClientTest {
  private final TestRoot root = new TestRoot();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private PbServer startServer() {
    return track(PbServer.builder().host("127.0.0.1").port(0).root(root).eventLoopThreads(2)
        .build().start());
  }

  private PbClient client(PbServer server) {
    return track(PbClient.builder().host("127.0.0.1").port(server.port()).build());
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  @Test
  void echoesThroughRootObject() throws Exception {
    PbServer server = startServer();
    RemoteReference remoteRoot = await(client(server).getRootObject());

    assertThat(await(remoteRoot.callRemote("echo", "hello"))).isEqualTo("hello");
    assertThat(await(remoteRoot.callRemote("echo", 42))).isEqualTo(42);
    assertThat(await(remoteRoot.callRemote("echo", ByteString.utf8("raw"))))
        .isEqualTo(ByteString.utf8("raw"));
    assertThat(await(remoteRoot.callRemote("echo", List.of(1, "two"))))
        .isEqualTo(List.of(1, "two"));
    assertThat(await(remoteRoot.callRemote("echo", Map.of("k", 1.5)))).isEqualTo(Map.of("k", 1.5));
    assertThat(await(remoteRoot.callRemote("echo", (Object) null))).isNull();
  }

  @Test
  void answersManyConcurrentCalls() throws Exception {
    PbServer server = startServer();
    RemoteReference remoteRoot = await(client(server).getRootObject());

    List<CompletableFuture<@Nullable Object>> calls = IntStream.range(0, 2000).parallel()
        .mapToObj(i -> remoteRoot.callRemote("echo", i))
        .toList();

    await(CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)));
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i)).isCompletedWithValue(i);
    }
  }

  @Test
  void referencePassedOutAndBackArrivesAsTheOriginalObject() throws Exception {
    PbServer server = startServer();
    RemoteReference remoteRoot = await(client(server).getRootObject());

    RemoteReference thing = (RemoteReference) await(remoteRoot.callRemote("thing"));

    assertThat(await(thing.callRemote("name"))).isEqualTo("thing");
    assertThat(await(remoteRoot.callRemote("isThing", thing))).isEqualTo(true);
    assertThat(await(remoteRoot.callRemote("echo", thing))).isSameAs(thing);
  }

  @Test
  void pagesAPayloadLargerThanTheWriteBuffer() throws Exception {
    byte[] data = new byte[6 * 1024 * 1024]; // Six times the high water mark.
    new java.util.Random(1).nextBytes(data);
    ByteString payload = ByteString.of(data);
    PbServer server = track(PbServer.builder().port(0).root(new PagingRoot(payload))
        .build().start());
    RemoteReference remoteRoot = await(client(server).getRootObject());

    List<@Nullable Object> pages =
        Paging.getAllPages(remoteRoot, "fetch").get(30, TimeUnit.SECONDS);

    assertThat(Paging.join(pages)).isEqualTo(payload);
  }

  @Test
  void serverCloseFailsPendingCallsThenCallsAreDead() throws Exception {
    CountDownLatch disconnected = new CountDownLatch(1);
    PbServer server = track(PbServer.builder().port(0).root(root)
        .onConnection(broker -> broker.notifyOnDisconnect(disconnected::countDown))
        .build().start());
    RemoteReference remoteRoot = await(client(server).getRootObject());
    CompletableFuture<@Nullable Object> pending = remoteRoot.callRemote("hang");
    assertThat(root.hangCalled.await(10, TimeUnit.SECONDS)).isTrue();

    server.close();

    assertThat(disconnected.await(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> await(pending)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ConnectionLostException.class);
    assertThatThrownBy(() -> await(remoteRoot.callRemote("echo", 1)))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(DeadReferenceException.class);
    assertThat(server.isRunning()).isFalse();
    assertThat(server.connections()).isEmpty();
  }

  @Test
  void onConnectionSeesTheNewConnectionAmongTheServersConnectionsInItsLogContext() throws Exception {
    CompletableFuture<List<Broker>> seen = new CompletableFuture<>();
    CompletableFuture<Broker> connected = new CompletableFuture<>();
    CompletableFuture<@Nullable String> inContext = new CompletableFuture<>();
    PbServer[] holder = new PbServer[1];
    PbServer server = track(PbServer.builder().port(0).root(root)
        .onConnection(broker -> {
          connected.complete(broker);
          seen.complete(holder[0].connections());
          inContext.complete(org.slf4j.MDC.get(io.github.pb4j.LogContext.CONNECTION));
        })
        .build());
    holder[0] = server;
    server.start();
    await(client(server).getRootObject());

    assertThat(await(seen)).containsExactly(await(connected));
    // And it runs in the connection's log context, as the rest of its work does.
    assertThat(await(inContext)).isEqualTo(Long.toString(await(connected).connectionId()));
  }

  @Test
  void anErrorFromOnConnectionClosesThatConnectionAndTheServerGoesOn() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    CountDownLatch disconnected = new CountDownLatch(1);
    EventRecorder observer = new EventRecorder();
    PbServer server = track(PbServer.builder().port(0).root(root).observer(observer)
        .onConnection(broker -> {
          if (connections.incrementAndGet() == 1) {
            broker.notifyOnDisconnect(disconnected::countDown);
            throw new AssertionError("the first connection's callback fails");
          }
        })
        .build().start());

    assertThatThrownBy(() -> await(client(server).getRootObject()))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ConnectionLostException.class);
    assertThat(disconnected.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(observer.events).doesNotContain("opened", "closed"); // neither, as it never started

    RemoteReference second = await(client(server).getRootObject());
    assertThat(await(second.callRemote("echo", "still serving"))).isEqualTo("still serving");
    assertThat(server.isRunning()).isTrue();
    assertThat(connections.get()).isEqualTo(2);
    assertThat(observer.events).containsOnlyOnce("opened").doesNotContain("closed");
  }

  @Test
  void clientCloseFailsItsPendingCallsAndEndsTheServerSide() throws Exception {
    CountDownLatch disconnected = new CountDownLatch(1);
    PbServer server = track(PbServer.builder().port(0).root(root)
        .onConnection(broker -> broker.notifyOnDisconnect(disconnected::countDown))
        .build().start());
    PbClient client = client(server);
    RemoteReference remoteRoot = await(client.getRootObject());
    CompletableFuture<@Nullable Object> pending = remoteRoot.callRemote("hang");
    assertThat(root.hangCalled.await(10, TimeUnit.SECONDS)).isTrue();

    await(client.closeAsync());

    assertThat(pending).isCompletedExceptionally();
    assertThatThrownBy(() -> await(pending)).hasCauseInstanceOf(ConnectionLostException.class);
    assertThat(disconnected.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void connectionRefusedFailsWithPbConnectException() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PbClient client = track(PbClient.builder().host("127.0.0.1").port(port).build());

    assertThatThrownBy(() -> await(client.getRootObject()))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(PbConnectException.class)
        .hasMessageStartingWith("cannot connect to 127.0.0.1:" + port)
        .hasCauseInstanceOf(ConnectException.class);
  }

  @Test
  void servesTwoClientsAtOnce() throws Exception {
    List<Broker> seen = new ArrayList<>();
    CountDownLatch connected = new CountDownLatch(2);
    PbServer server = track(PbServer.builder().port(0).root(root)
        .onConnection(broker -> {
          synchronized (seen) {
            seen.add(broker);
          }
          connected.countDown();
        })
        .build().start());
    RemoteReference first = await(client(server).getRootObject());
    RemoteReference second = await(client(server).getRootObject());

    CompletableFuture<@Nullable Object> a = first.callRemote("echo", "a");
    CompletableFuture<@Nullable Object> b = second.callRemote("echo", "b");

    assertThat(await(a)).isEqualTo("a");
    assertThat(await(b)).isEqualTo("b");
    assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(server.connections()).hasSize(2).containsExactlyInAnyOrderElementsOf(seen);
    assertThat(first.broker()).isNotSameAs(second.broker());
  }

  @Test
  void clientsShareAnEventLoopGroup() throws Exception {
    PbServer server = startServer();
    EventLoopGroup group = Transport.best().newGroup(1, "shared", true);
    try {
      PbClient one = track(PbClient.builder().host("127.0.0.1").port(server.port())
          .eventLoopGroup(group).build());
      PbClient two = track(PbClient.builder().host("127.0.0.1").port(server.port())
          .eventLoopGroup(group).build());

      assertThat(await(await(one.getRootObject()).callRemote("echo", 1))).isEqualTo(1);
      assertThat(await(await(two.getRootObject()).callRemote("echo", 2))).isEqualTo(2);
      await(one.closeAsync());

      assertThat(group.isShuttingDown()).isFalse();
      assertThat(await(await(two.getRootObject()).callRemote("echo", 3))).isEqualTo(3);
    } finally {
      closeAll();
      resources.clear();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void worksOverNio() throws Exception {
    EventLoopGroup nio = Transport.NIO.newGroup(1, "nio", true);
    try {
      PbServer server = track(PbServer.builder().port(0).root(root).eventLoopGroup(nio)
          .build().start());
      PbClient client = track(PbClient.builder().host("127.0.0.1").port(server.port())
          .eventLoopGroup(nio).build());

      assertThat(await(await(client.getRootObject()).callRemote("echo", "nio"))).isEqualTo("nio");
      assertThat(Transport.of(nio)).isEqualTo(Transport.NIO);
      assertThat(nio).contains(client.broker().orElseThrow().executor());
    } finally {
      closeAll();
      resources.clear();
      nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void connectReturnsTheSameOutcomeEveryTime() throws Exception {
    PbServer server = startServer();
    PbClient client = client(server);

    PbClient connected = await(client.connect());

    assertThat(connected).isSameAs(client);
    assertThat(await(client.connect())).isSameAs(client);
    assertThat(client.broker()).isPresent();
    assertThat(await(client.getRootObject()).broker()).isSameAs(client.broker().orElseThrow());
  }

  @Test
  void closedClientCannotConnect() throws Exception {
    PbServer server = startServer();
    PbClient client = client(server);
    client.close();

    assertThatThrownBy(() -> await(client.connect()))
        .hasCauseInstanceOf(ConnectionLostException.class);
  }

  @Test
  void perConnectionRootFactoryGetsEachBroker() throws Exception {
    List<Broker> given = new ArrayList<>();
    PbServer server = track(PbServer.builder().port(0)
        .rootFactory(broker -> {
          synchronized (given) {
            given.add(broker);
          }
          return new TestRoot();
        })
        .build().start());

    RemoteReference first = await(client(server).getRootObject());
    RemoteReference second = await(client(server).getRootObject());
    RemoteReference thing = (RemoteReference) await(first.callRemote("thing"));
    await(second.callRemote("echo", 0));

    assertThat(await(first.callRemote("isThing", thing))).isEqualTo(true);
    synchronized (given) {
      assertThat(given).hasSize(2).doesNotHaveDuplicates();
    }
  }

  @Test
  void closeOnTheEventLoopStartsTheCloseAndReturns() throws Exception {
    PbServer server = startServer();
    PbClient client = client(server);
    await(client.connect());
    Broker broker = client.broker().orElseThrow();

    CompletableFuture<@Nullable Void> returned = new CompletableFuture<>();
    broker.executor().execute(() -> {
      try {
        client.close();
        returned.complete(null);
      } catch (RuntimeException e) {
        returned.completeExceptionally(e);
      }
    });

    await(returned);
    await(client.closeAsync());
    assertThat(client.isConnected()).isFalse();
  }

  @Test
  void startFailsWhenThePortIsTaken() throws Exception {
    PbServer first = startServer();
    PbServer second = PbServer.builder().port(first.port()).root(root).build();

    assertThatThrownBy(second::start).isInstanceOf(java.io.UncheckedIOException.class)
        .hasCauseInstanceOf(java.net.BindException.class);
    second.close();
  }

  @Test
  void echoesOverTls() throws Exception {
    SslContext serverTls = serverTls();
    SslContext clientTls;
    try (InputStream cert = resource("tls/server.crt")) {
      clientTls = SslContextBuilder.forClient().trustManager(cert).build();
    }
    PbServer server = track(PbServer.builder().port(0).root(root).sslContext(serverTls)
        .build().start());
    PbClient client = track(PbClient.builder().host("localhost").port(server.port())
        .sslContext(clientTls).build());

    RemoteReference remoteRoot = await(client.getRootObject());

    assertThat(await(remoteRoot.callRemote("echo", "secret"))).isEqualTo("secret");
  }

  @Test
  void tlsClientRejectsAnUntrustedServer() throws Exception {
    SslContext serverTls = serverTls();
    SslContext clientTls = SslContextBuilder.forClient().build(); // Trusts only the JDK's CAs.
    PbServer server = track(PbServer.builder().port(0).root(root).sslContext(serverTls)
        .build().start());
    PbClient client = track(PbClient.builder().host("localhost").port(server.port())
        .sslContext(clientTls).build());

    CompletableFuture<@Nullable Object> call =
        client.getRootObject().thenCompose(r -> r.callRemote("echo", 1));

    assertThatThrownBy(() -> await(call)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(ConnectionLostException.class)
        .cause().cause().isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
  }

  static SslContext serverTls() throws Exception {
    try (InputStream cert = resource("tls/server.crt");
        InputStream key = resource("tls/server.key")) {
      return SslContextBuilder.forServer(cert, key).build();
    }
  }

  private static InputStream resource(String name) {
    InputStream in = PbServerClientTest.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("missing test resource " + name);
    }
    return in;
  }

  /** Serves one payload in pages: {@code fetch(collector)}. */
  public static final class PagingRoot implements io.github.pb4j.Root {
    private final ByteString payload;

    PagingRoot(ByteString payload) {
      this.payload = payload;
    }

    @Remote
    public void fetch(RemoteReference collector) {
      new BytesPager(collector, payload);
    }
  }
}
