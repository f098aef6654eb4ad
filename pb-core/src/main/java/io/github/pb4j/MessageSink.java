package io.github.pb4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.SocketAddress;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link Broker} writes: the outbound half of a connection. {@code pb-netty} adapts a
 * channel; tests plug in a loopback.
 *
 * <p>Called only on the broker's executor, except {@link #isWritable}, which must be thread-safe.
 */
public interface MessageSink {
  /** Returns the allocator for outgoing buffers. */
  ByteBufAllocator alloc();

  /** Queues one encoded top-level expression; takes ownership of {@code message}. */
  void write(ByteBuf message);

  /** Sends what was queued. */
  void flush();

  /** Closes the connection after flushing what was queued. */
  void close();

  /**
   * Returns true while the transport accepts more output without queueing much; page producers
   * pause when it returns false and resume on {@link Broker#resumeProducing()}.
   */
  default boolean isWritable() {
    return true;
  }

  /**
   * Stops ({@code true}) or resumes reading from the peer: the broker stops reading while the peer
   * has too many calls in progress ({@link BrokerOptions#maxCallsInProgress}). A transport that
   * cannot stop reading ignores it.
   */
  default void pauseReading(boolean pause) {}

  /** Returns the peer's address, if the transport has one (used to throttle failed logins). */
  default @Nullable SocketAddress remoteAddress() {
    return null;
  }

  /**
   * Returns the TLS session of the connection once its handshake is over, or null on a connection
   * without TLS (or before the handshake ended).
   */
  default @Nullable SSLSession tlsSession() {
    return null;
  }
}
