package io.github.pb4j.jelly;

/**
 * A received value does not fit the Java type it must become (a method parameter, a record
 * component). Reported to a Twisted peer as {@code builtins.TypeError}, as Python reports a call
 * with wrong arguments.
 */
public final class TypeMismatchException extends JellyException {
  private static final long serialVersionUID = 1L;

  public TypeMismatchException(String message) {
    super("builtins.TypeError", message, null);
  }
}
