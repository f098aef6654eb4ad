package io.github.pb4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Two brokers joined in memory on one event-loop thread: PB without sockets, for tests. Bytes
 * written by one side are delivered to the other when flushed, as a task on the shared executor.
 *
 * <p><em>Thread-safe</em>; the brokers are confined to the executor.
 */
public final class LoopbackPair implements AutoCloseable {
  private final EventExecutor executor = new DefaultEventExecutor();
  private final Broker server;
  private final Broker client;
  private final Side serverSide;
  private final Side clientSide;

  private LoopbackPair(Function<Broker, Object> rootFactory, BrokerOptions serverOptions, BrokerOptions clientOptions) {
    serverSide = new Side();
    clientSide = new Side();
    server = Broker.server(rootFactory, serverOptions, serverSide, executor);
    client = Broker.client(clientOptions, clientSide, executor);
    serverSide.self = server;
    serverSide.peer = clientSide;
    clientSide.self = client;
    clientSide.peer = serverSide;
    call(() -> {
      server.connectionMade();
      client.connectionMade();
      return null;
    });
  }

  /** Joins a server serving {@code root} and a client, both with default options. */
  public static LoopbackPair create(Object root) {
    return create(root, BrokerOptions.DEFAULT, BrokerOptions.DEFAULT);
  }

  public static LoopbackPair create(Object root, BrokerOptions serverOptions, BrokerOptions clientOptions) {
    return new LoopbackPair(b -> root, serverOptions, clientOptions);
  }

  /** Joins a server whose root {@code rootFactory} makes per connection, and a client. */
  public static LoopbackPair create(Function<Broker, Object> rootFactory) {
    return new LoopbackPair(rootFactory, BrokerOptions.DEFAULT, BrokerOptions.DEFAULT);
  }

  /** Joins a server whose root {@code rootFactory} makes per connection, and a client, with options. */
  public static LoopbackPair create(
      Function<Broker, Object> rootFactory, BrokerOptions serverOptions, BrokerOptions clientOptions) {
    return new LoopbackPair(rootFactory, serverOptions, clientOptions);
  }

  public Broker server() {
    return server;
  }

  public Broker client() {
    return client;
  }

  public EventExecutor executor() {
    return executor;
  }

  /** Returns the server's root as seen by the client. */
  public RemoteReference root() {
    return client.rootObject().orTimeout(5, TimeUnit.SECONDS).join();
  }

  /** How many times the client side flushed its output so far. */
  public int clientFlushes() {
    return clientSide.flushes;
  }

  /** Runs {@code task} on the event loop and returns its result. */
  public <T> T call(Callable<T> task) {
    try {
      return executor.submit(task).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until every task queued so far on the event loop (deliveries included) has run. */
  public void settle() {
    for (int i = 0; i < 8; i++) {
      call(() -> null);
    }
  }

  /** Drops the connection as a network failure would: both sides see it lost. */
  public void disconnect() {
    call(() -> {
      serverSide.close();
      return null;
    });
    settle();
  }

  @Override
  public void close() {
    if (!executor.isShuttingDown()) {
      disconnect();
      executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** One side's outbound half. */
  private final class Side implements MessageSink {
    Broker self;
    Side peer;
    private final List<ByteBuf> outbox = new ArrayList<>();
    private boolean closed;
    volatile int flushes; // Written on the executor only.

    @Override
    public ByteBufAllocator alloc() {
      return UnpooledByteBufAllocator.DEFAULT;
    }

    @Override
    public void write(ByteBuf message) {
      if (closed) {
        message.release();
        return;
      }
      outbox.add(message);
    }

    @Override
    public void flush() {
      flushes++;
      List<ByteBuf> batch = new ArrayList<>(outbox);
      outbox.clear();
      Side target = peer;
      executor.execute(() -> {
        for (ByteBuf b : batch) {
          try {
            if (!target.closed) {
              target.self.receive(b);
            }
          } finally {
            b.release();
          }
        }
      });
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      flush();
      executor.execute(() -> {
        closed = true;
        peer.closed = true;
        outbox.forEach(ByteBuf::release);
        outbox.clear();
        self.connectionLost(null);
        peer.self.connectionLost(null);
      });
    }
  }
}
