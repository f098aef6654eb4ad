package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.InputBudget;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.Root;
import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No error ends an event loop, and memory pressure from some peers ends their connections only:
 * the server keeps serving everyone else and still closes when asked.
 */
@Timeout(60)
class EventLoopResilienceTest {
  /** A root whose {@code exhaust} throws what a method throws when the heap is full. */
  public static final class HungryRoot implements Root {
    @Remote
    public @Nullable Object echo(@Nullable Object value) {
      return value;
    }

    @Remote
    public Object exhaust() {
      throw new OutOfMemoryError("simulated: Java heap space");
    }
  }

  @Test
  void anErrorThrownByAnEventLoopsIoWorkLeavesTheLoopServing() throws Exception {
    AtomicBoolean armed = new AtomicBoolean();
    CountDownLatch thrown = new CountDownLatch(1);
    EventLoopGroup group = Transport.newGroup(1, "guarded", true,
        throwingOnce(Transport.best().ioHandlerFactory(), armed, thrown));
    try (PbServer server = PbServer.builder().port(0).root(new HungryRoot()).eventLoopGroup(group)
            .build().start()) {
      armed.set(true);
      group.next().execute(() -> {}); // wakes the loop, which runs its I/O work again

      assertThat(thrown.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(group.next().submit(() -> "alive").get(10, TimeUnit.SECONDS)).isEqualTo("alive");
      try (PbClient client = PbClient.builder().host("127.0.0.1").port(server.port()).build()) {
        RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
        assertThat(root.callRemote("echo", "after").get(10, TimeUnit.SECONDS)).isEqualTo("after");
      }
    } finally {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void aServerStillClosesWhenALoopOfAGroupItWasGivenHasDied() throws Exception {
    AtomicBoolean armed = new AtomicBoolean();
    CountDownLatch thrown = new CountDownLatch(1);
    // A user's group, made without pb4j's guard: an error ends its only loop.
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(
        1, throwingOnce(Transport.best().ioHandlerFactory(), armed, thrown));
    try {
      PbServer server = PbServer.builder().port(0).root(new HungryRoot()).eventLoopGroup(group)
          .build().start();
      try (PbClient client = PbClient.builder().host("127.0.0.1").port(server.port()).build()) {
        client.getRootObject().get(10, TimeUnit.SECONDS);
        armed.set(true);
        try {
          group.next().execute(() -> {}); // wakes the loop up, to throw
        } catch (RejectedExecutionException e) {
          // It woke up by itself (I/O of the connection) and has ended already.
        }
        assertThat(thrown.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(group.terminationFuture().await(10, TimeUnit.SECONDS)).as("loop ended").isTrue();

        // As on SIGTERM: the close finishes although the connection's loop never answers.
        server.closeAsync().get(2L * BrokerHandler.CLOSE_GRACE_SECONDS + 5, TimeUnit.SECONDS);
        assertThat(server.isRunning()).isFalse();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  void anOutOfMemoryErrorWhileHandlingAMessageEndsOnlyThatConnection() throws Exception {
    try (PbServer server = PbServer.builder().port(0).root(new HungryRoot()).eventLoopThreads(1)
            .build().start();
        PbClient bystander = PbClient.builder().host("127.0.0.1").port(server.port()).build();
        PbClient victim = PbClient.builder().host("127.0.0.1").port(server.port()).build()) {
      RemoteReference bystanderRoot = bystander.getRootObject().get(10, TimeUnit.SECONDS);
      RemoteReference victimRoot = victim.getRootObject().get(10, TimeUnit.SECONDS);

      CompletableFuture<@Nullable Object> exhausted = victimRoot.callRemote("exhaust");

      // The call fails (how is the dispatcher's business); it does not hang.
      assertThat(exhausted).failsWithin(10, TimeUnit.SECONDS);
      // Same event loop: the bystander, and a newcomer, are served.
      assertThat(bystanderRoot.callRemote("echo", "still here").get(10, TimeUnit.SECONDS))
          .isEqualTo("still here");
      try (PbClient newcomer = PbClient.builder().host("127.0.0.1").port(server.port()).build()) {
        RemoteReference root = newcomer.getRootObject().get(10, TimeUnit.SECONDS);
        assertThat(root.callRemote("echo", 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
      }
      // And the server still stops when asked (as on SIGTERM).
      server.closeAsync().get(10, TimeUnit.SECONDS);
      assertThat(server.isRunning()).isFalse();
    }
  }

  @Test
  void manyConnectionsSendingUnfinishedMessagesAreRefusedPastTheBudgetWhileOthersAreServed()
      throws Exception {
    InputBudget budget = InputBudget.of(8L << 20);
    BrokerOptions options = BrokerOptions.builder().inputBudget(budget).build();
    int floods = 6;
    // Two strings of 600 KiB decoded and half of a third: about 3 MB charged each, so at most two
    // such connections fit in 8 MiB.
    byte[] unfinished = unfinishedMessage(10, 2 * 600 * 1024 + 300 * 1024);
    List<Socket> sockets = new ArrayList<>();
    try (PbServer server = PbServer.builder().port(0).root(new HungryRoot()).options(options)
            .eventLoopThreads(2).build().start();
        PbClient small = PbClient.builder().host("127.0.0.1").port(server.port()).build()) {
      RemoteReference smallRoot = small.getRootObject().get(10, TimeUnit.SECONDS);
      CountDownLatch refused = new CountDownLatch(floods - 2);
      for (int i = 0; i < floods; i++) {
        Socket socket = new Socket("127.0.0.1", server.port());
        sockets.add(socket);
        Thread flood = new Thread(() -> floodUntilClosed(socket, unfinished, refused), "flood-" + i);
        flood.setDaemon(true);
        flood.start();
      }

      assertThat(refused.await(30, TimeUnit.SECONDS)).as("refused connections").isTrue();
      assertThat(budget.used()).isLessThanOrEqualTo(budget.capacity());
      // Small messages arrive whole in one read and are never charged: served however full.
      assertThat(smallRoot.callRemote("echo", "served").get(10, TimeUnit.SECONDS))
          .isEqualTo("served");
      for (Socket socket : sockets) {
        socket.close();
      }
      server.closeAsync().get(20, TimeUnit.SECONDS);
      assertThat(budget.used()).as("all given back").isZero();
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  /** Sends the handshake and {@code message}, then reads until the server closes the socket. */
  private static void floodUntilClosed(Socket socket, byte[] message, CountDownLatch refused) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(HexFormat.of().parseHex("02827062" + "028013870681"));
      out.write(message);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      while (in.read(buffer) >= 0) {
        // The greeting; then nothing until the server closes the connection.
      }
      refused.countDown();
    } catch (IOException e) {
      if (!socket.isClosed()) {
        refused.countDown(); // reset by the server while writing or reading
      }
    }
  }

  /** The first {@code bytes} bytes of a list of {@code strings} strings of 600 KiB, pb dialect. */
  private static byte[] unfinishedMessage(int strings, int bytes) {
    ByteBuf buf = Unpooled.buffer();
    BananaEncoder encoder = BananaEncoder.of(Dialect.PB);
    encoder.writeListHeader(buf, strings);
    for (int i = 0; i < strings; i++) {
      encoder.writeBytes(buf, ByteString.of(new byte[600 * 1024], 0, 600 * 1024));
    }
    byte[] all = ByteBufUtil.getBytes(buf);
    buf.release();
    return java.util.Arrays.copyOf(all, bytes);
  }

  /** Handlers of {@code factory} whose {@code run} throws an error once, when armed. */
  private static IoHandlerFactory throwingOnce(
      IoHandlerFactory factory, AtomicBoolean armed, CountDownLatch thrown) {
    return executor -> {
      IoHandler delegate = factory.newHandler(executor);
      return new IoHandler() {
        @Override
        public int run(IoHandlerContext context) {
          if (armed.compareAndSet(true, false)) {
            thrown.countDown();
            throw new OutOfMemoryError("simulated: Java heap space");
          }
          return delegate.run(context);
        }

        @Override
        public void initialize() {
          delegate.initialize();
        }

        @Override
        public void prepareToDestroy() {
          delegate.prepareToDestroy();
        }

        @Override
        public void destroy() {
          delegate.destroy();
        }

        @Override
        public IoRegistration register(IoHandle handle) throws Exception {
          return delegate.register(handle);
        }

        @Override
        public void wakeup() {
          delegate.wakeup();
        }

        @Override
        public boolean isCompatible(Class<? extends IoHandle> handleType) {
          return delegate.isCompatible(handleType);
        }
      };
    };
  }
}
