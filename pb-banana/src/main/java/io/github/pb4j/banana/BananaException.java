package io.github.pb4j.banana;

/**
 * Bytes that are not valid Banana, or a value Banana cannot encode. Java form of Twisted's
 * {@code banana.BananaError}.
 *
 * <p>On a live connection a decoding failure is fatal: the connection is closed, as Twisted does.
 */
public final class BananaException extends PbException {
  private static final long serialVersionUID = 1L;

  public BananaException(String message) {
    super(message);
  }
}
