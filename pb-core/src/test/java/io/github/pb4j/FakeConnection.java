package io.github.pb4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One server connection without a peer: a real broker on its own event loop, whose root (made by
 * a root factory, e.g. {@link PortalRoot#factory}) tests call directly, as the broker would for
 * the messages of a peer that pipelines them. What the broker writes is dropped. The connection
 * has the remote address the test gives, so that tests can act from several addresses.
 *
 * <p><em>Thread-safe</em>; the broker is confined to the executor.
 */
final class FakeConnection implements AutoCloseable {
  private final EventExecutor executor = new DefaultEventExecutor();
  private final Broker broker;
  private @Nullable Object root;
  private volatile boolean closed;

  FakeConnection(Function<Broker, Object> rootFactory, @Nullable SocketAddress address) {
    MessageSink sink = new MessageSink() {
      @Override
      public ByteBufAllocator alloc() {
        return UnpooledByteBufAllocator.DEFAULT;
      }

      @Override
      public void write(ByteBuf message) {
        message.release();
      }

      @Override
      public void flush() {}

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          executor.execute(() -> broker().connectionLost(null));
        }
      }

      @Override
      public @Nullable SocketAddress remoteAddress() {
        return address;
      }
    };
    broker = Broker.server(b -> root = rootFactory.apply(b), BrokerOptions.DEFAULT, sink, executor);
    call(() -> {
      broker.connectionMade();
      return null;
    });
  }

  /** Returns {@code a.b.c.d:port} as a socket address, without a name lookup. */
  static InetSocketAddress ipv4(int a, int b, int c, int d) {
    try {
      return new InetSocketAddress(
          InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), 40000);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  Broker broker() {
    return broker;
  }

  /** Returns the root the factory made for this connection, a {@link PortalRoot} in most tests. */
  PortalRoot portalRoot() {
    return (PortalRoot) root;
  }

  /** Runs {@code task} on the event loop and returns its result. */
  <T> T call(Callable<T> task) {
    try {
      return executor.submit(task).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    call(() -> {
      if (!closed) {
        closed = true;
        broker.connectionLost(null);
      }
      return null;
    });
    executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
