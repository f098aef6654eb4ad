package io.github.pb4j;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.banana.SexpFormatter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fake peer that sends prepared bytes to one real broker and records what it answers, as
 * OkHttp's {@code MockHttp2Peer} does: for hostile-input and wire-exactness tests.
 *
 * <p><em>Thread-safe</em>; the broker is confined to the executor.
 */
public final class ScriptedPeer implements AutoCloseable {
  private final EventExecutor executor = new DefaultEventExecutor();
  private final Broker broker;
  private final ByteBuf received = Unpooled.buffer();
  private final List<Object> expressions = new ArrayList<>();
  private final BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT, Dialect.NONE);
  private volatile boolean closed;

  private ScriptedPeer(boolean server, Object root, BrokerOptions options) {
    MessageSink sink = new MessageSink() {
      @Override
      public ByteBufAllocator alloc() {
        return UnpooledByteBufAllocator.DEFAULT;
      }

      @Override
      public void write(ByteBuf message) {
        try {
          if (!closed) {
            received.writeBytes(message);
          }
        } finally {
          message.release();
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {
        closed = true;
        executor.execute(() -> ScriptedPeer.this.broker.connectionLost(null));
      }
    };
    broker = server ? Broker.server(root, options, sink, executor) : Broker.client(options, sink, executor);
    run(broker::connectionMade);
  }

  /** A fake client talking to a real server broker serving {@code root}. */
  public static ScriptedPeer againstServer(Object root) {
    return againstServer(root, BrokerOptions.DEFAULT);
  }

  public static ScriptedPeer againstServer(Object root, BrokerOptions options) {
    return new ScriptedPeer(true, root, options);
  }

  /** A fake server talking to a real client broker. */
  public static ScriptedPeer againstClient(BrokerOptions options) {
    return new ScriptedPeer(false, new Object(), options);
  }

  public Broker broker() {
    return broker;
  }

  /** Sends hex bytes to the broker. */
  public ScriptedPeer send(String hex) {
    return send(ByteString.fromHex(hex).toByteArray());
  }

  public ScriptedPeer send(byte[] bytes) {
    run(() -> {
      ByteBuf buf = Unpooled.wrappedBuffer(bytes);
      try {
        broker.receive(buf);
      } finally {
        buf.release();
      }
    });
    return this;
  }

  /** Sends the pb dialect choice and the version, as a Twisted client does. */
  public ScriptedPeer handshakeAsClient() {
    return send("02827062" + "028013870681");
  }

  /** Returns everything the broker wrote, as hex. */
  public String receivedHex() {
    return call(() -> io.netty.buffer.ByteBufUtil.hexDump(received, 0, received.writerIndex()));
  }

  /**
   * Returns the expressions the broker wrote, rendered in Python notation; the dialect switches
   * to pb after the first one (the offer or the choice).
   */
  public List<String> receivedExpressions() {
    return call(() -> {
      while (true) {
        Object e = decoder.decode(received);
        if (e == null) {
          break;
        }
        expressions.add(e);
        if (expressions.size() == 1) {
          decoder.setDialect(Dialect.PB);
        }
      }
      List<String> result = new ArrayList<>();
      for (Object e : expressions) {
        result.add(SexpFormatter.format(e));
      }
      return result;
    });
  }

  /** Returns true once the broker closed the connection. */
  public boolean isClosed() {
    call(() -> null);
    return closed;
  }

  public void run(Runnable task) {
    call(() -> {
      task.run();
      return null;
    });
  }

  public <T> T call(java.util.concurrent.Callable<T> task) {
    try {
      return executor.submit(task).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    run(() -> {
      if (!closed) {
        closed = true;
        broker.connectionLost(null);
      }
    });
    executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    received.release();
  }
}
