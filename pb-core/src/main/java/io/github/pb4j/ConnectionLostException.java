package io.github.pb4j;

import io.github.pb4j.banana.PbException;
import org.jspecify.annotations.Nullable;

/**
 * The connection ended before a call was answered. Java form of Twisted's {@code
 * pb.PBConnectionLost}; the cause, when there is one, says why the connection ended.
 */
public final class ConnectionLostException extends PbException {
  private static final long serialVersionUID = 1L;

  public ConnectionLostException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
