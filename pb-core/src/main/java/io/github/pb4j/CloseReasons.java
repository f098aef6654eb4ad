package io.github.pb4j;

import io.github.pb4j.banana.PbException;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/** Sorts the ends of connections and their errors for a {@link PbObserver}. <em>Stateless.</em> */
final class CloseReasons {
  private CloseReasons() {}

  /** True for the reasons pb4j gives when a connection passes one of its limits. */
  static boolean isLimit(@Nullable String reason) {
    return reason != null
        && (reason.startsWith("input limit") || reason.startsWith("output limit")
            || reason.startsWith("too many references"));
  }

  /** The reason a connection ended with {@code cause}, reported by the transport (null: the peer closed). */
  static PbObserver.CloseReason of(@Nullable Throwable cause) {
    if (cause == null) {
      return PbObserver.CloseReason.CLOSED_BY_PEER;
    }
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SSLException) {
        return PbObserver.CloseReason.TLS_ERROR;
      }
    }
    if (cause instanceof IOException) {
      return PbObserver.CloseReason.IO_ERROR;
    }
    if (isLimit(cause.getMessage())) {
      return PbObserver.CloseReason.LIMIT;
    }
    if (cause instanceof PbException) {
      return PbObserver.CloseReason.PROTOCOL_ERROR;
    }
    return PbObserver.CloseReason.OTHER;
  }

  /**
   * Tells the broker's observer how it ended ({@code why}), and what error ended it; nothing if it
   * never told the observer the connection opened (its start failed before {@link
   * Broker#connectionMade}).
   */
  static void report(Broker broker, PbObserver.CloseReason why, boolean handshaking) {
    if (!broker.handshake.started()) {
      return;
    }
    PbObserver observer = broker.observer;
    PbObserver.ErrorKind error = errorKind(why);
    if (error != null) {
      observer.error(broker, error);
    }
    if (handshaking && why == PbObserver.CloseReason.TLS_ERROR) {
      observer.handshakeFailed(broker, PbObserver.HandshakeFailure.TLS);
    }
    observer.connectionClosed(broker, why);
  }

  /** The error an end for {@code reason} counts as, or null if it is no error. */
  static PbObserver.@Nullable ErrorKind errorKind(PbObserver.CloseReason reason) {
    return switch (reason) {
      case PROTOCOL_ERROR -> PbObserver.ErrorKind.PROTOCOL;
      case LIMIT -> PbObserver.ErrorKind.LIMIT;
      case TLS_ERROR -> PbObserver.ErrorKind.TLS;
      case IO_ERROR -> PbObserver.ErrorKind.IO;
      case OTHER -> PbObserver.ErrorKind.OTHER;
      case CLOSED_HERE, CLOSED_BY_PEER, HANDSHAKE_TIMEOUT -> null;
    };
  }
}
