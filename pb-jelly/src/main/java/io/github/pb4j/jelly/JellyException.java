package io.github.pb4j.jelly;

import io.github.pb4j.banana.PbException;
import org.jspecify.annotations.Nullable;

/**
 * A value that cannot be jellied, or an s-expression that is not valid Jelly.
 *
 * <p>In a call's arguments this becomes an {@code error} answer; in an answer it is fatal to the
 * connection (as in Twisted, where it escapes {@code twisted.spread.pb.Broker._sendAnswer}).
 */
public class JellyException extends PbException {
  private static final long serialVersionUID = 1L;

  private static final String DEFAULT_TWISTED_TYPE = "builtins.ValueError";

  private final String twistedType;

  public JellyException(String message) {
    this(message, (Throwable) null);
  }

  public JellyException(String message, @Nullable Throwable cause) {
    this(DEFAULT_TWISTED_TYPE, message, cause);
  }

  /** Creates an exception reported to a Twisted peer as the Python exception {@code twistedType}. */
  public JellyException(String twistedType, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.twistedType = twistedType;
  }

  /**
   * Returns the qualified name of the Python exception Twisted raises in the same situation (for
   * example {@code builtins.UnicodeDecodeError}), used when this failure is reported to a peer.
   */
  public String twistedType() {
    return twistedType;
  }
}
