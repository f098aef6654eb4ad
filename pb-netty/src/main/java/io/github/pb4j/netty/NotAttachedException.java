package io.github.pb4j.netty;

import io.github.pb4j.banana.PbException;
import org.jspecify.annotations.Nullable;

/**
 * A call through a {@link PbSession} that has no connection at the moment: it is reconnecting,
 * was closed, or stopped because its login was refused. The call was not sent; it fails at once
 * rather than wait for the next connection. The cause, when there is one, is why the session is
 * not attached (the lost connection, the last failed attempt, the refused login).
 *
 * <p>A call already sent when the connection drops fails with {@link
 * io.github.pb4j.ConnectionLostException} instead: the peer may or may not have run it.
 *
 * <p><em>Immutable.</em>
 */
public final class NotAttachedException extends PbException {
  private static final long serialVersionUID = 1L;

  public NotAttachedException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
