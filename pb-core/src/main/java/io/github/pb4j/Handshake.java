package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PB's opening: the server offers the Banana dialects it speaks, the client chooses one, and each
 * side then says its protocol version. Java form of Twisted's {@code Banana.connectionMade} and
 * {@code _selectDialect}; pb4j adds a deadline ({@link BrokerOptions#handshakeTimeout}) for a peer
 * that never finishes it.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor.
 */
final class Handshake {
  private static final Logger logger = LoggerFactory.getLogger(Broker.class);

  private final Broker broker;
  private final boolean server;
  private final BrokerOptions options;
  private final MessageWriter writer;
  private @Nullable ScheduledFuture<?> timer;
  private boolean done;
  /** Set by {@link #start}: the connection was made, and its observer told so. */
  private boolean started;

  Handshake(Broker broker, boolean server, BrokerOptions options, MessageWriter writer) {
    this.broker = broker;
    this.server = server;
    this.options = options;
    this.writer = writer;
  }

  /** Sets the deadline and, on a server, offers the dialects. */
  void start() {
    started = true;
    Duration timeout = options.handshakeTimeout();
    if (!timeout.isZero() && !done) {
      try {
        timer = broker.executor().schedule(() -> LogContext.run(broker, () -> {
          timer = null;
          if (!done && broker.isConnected()) {
            broker.handshakeTimedOut("no PB handshake from the peer within " + timeout.toMillis() + " ms");
          }
        }), timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (UnsupportedOperationException e) {
        throw new IllegalStateException("the broker's executor cannot schedule the handshake timeout;"
            + " use one that can, or BrokerOptions.handshakeTimeout(Duration.ZERO)", e);
      }
    }
    if (server) {
      writer.sendDialectOffer(options.dialects());
    }
  }

  /** Handles the peer's part: the client's choice on a server, the server's offer on a client. */
  void received(Object expression) {
    if (server) {
      Dialect chosen = expression instanceof ByteString s ? Dialect.fromWire(s) : null;
      if (chosen == null || !options.dialects().contains(chosen)) {
        logger.debug("[conn {}] client chose dialect {}; closing", broker.connectionId(), Sexps.abbreviate(expression));
        broker.observer.handshakeFailed(broker, PbObserver.HandshakeFailure.DIALECT);
        broker.close();
        return;
      }
      agreed(chosen);
      return;
    }
    if (!(expression instanceof List<?> offer)) {
      broker.observer.handshakeFailed(broker, PbObserver.HandshakeFailure.DIALECT);
      broker.protocolViolation("dialect offer: " + Sexps.abbreviate(expression) + " (expected: a list)");
      return;
    }
    Dialect chosen = null;
    for (Object o : offer) {
      Dialect d = o instanceof ByteString s ? Dialect.fromWire(s) : null;
      if (d != null && options.dialects().contains(d)) {
        chosen = d;
        break;
      }
    }
    if (chosen == null) {
      logger.debug("[conn {}] server offers no dialect we speak: {}; closing",
          broker.connectionId(), Sexps.abbreviate(expression));
      broker.observer.handshakeFailed(broker, PbObserver.HandshakeFailure.DIALECT);
      broker.closeWith(new PbProtocolException("server offers no dialect pb4j speaks: " + Sexps.abbreviate(expression)));
      return;
    }
    writer.sendDialectChoice(chosen);
    agreed(chosen);
  }

  private void agreed(Dialect dialect) {
    done = true;
    cancelTimer();
    broker.open(dialect);
  }

  /** Returns true once {@link #start} ran: {@link Broker#connectionMade} did. */
  boolean started() {
    return started;
  }

  /** Cancels the deadline; at the end of the handshake or of the connection. */
  void cancelTimer() {
    ScheduledFuture<?> t = timer;
    if (t != null) {
      timer = null;
      t.cancel(false);
    }
  }
}
