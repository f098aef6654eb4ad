package io.github.pb4j.jelly;

/**
 * An s-expression names a type that is not allowed: a {@code class}, {@code module}, {@code
 * function}, {@code instance} tag, or a type name nobody registered. Java form of Twisted's
 * {@code jelly.InsecureJelly}; the message is Twisted's, so a Twisted peer sees the same error.
 */
public final class InsecureJellyException extends JellyException {
  private static final long serialVersionUID = 1L;

  private final String className;

  public InsecureJellyException(String className, String message) {
    super("twisted.spread.jelly.InsecureJelly", message, null);
    this.className = className;
  }

  /** Returns the refused tag or type name as read from the wire. */
  public String className() {
    return className;
  }
}
