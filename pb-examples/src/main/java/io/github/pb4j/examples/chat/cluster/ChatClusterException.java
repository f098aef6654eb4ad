package io.github.pb4j.examples.chat.cluster;

/** The chat cluster cannot do what was asked: its database is unreachable, or it is closed. */
public final class ChatClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public ChatClusterException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Creates the exception. */
  public ChatClusterException(String message) {
    super(message);
  }
}
