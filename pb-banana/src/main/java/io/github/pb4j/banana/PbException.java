package io.github.pb4j.banana;

import org.jspecify.annotations.Nullable;

/**
 * Base class of every failure pb4j reports. Unchecked: failures travel through futures.
 *
 * <p>Lives in the lowest module so that every layer can extend it.
 */
public class PbException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private @Nullable String path;

  public PbException(String message) {
    super(message);
  }

  public PbException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * Returns where in a value the failure was found, in Python's notation: {@code result[2].path}
   * (a call's result, its third element, that element's attribute {@code path}), {@code args[1]}
   * (a call's second positional argument), {@code kwargs['name']}; null if not known.
   */
  public @Nullable String path() {
    return path;
  }

  /**
   * Prepends a step ({@code [2]}, {@code .path}, {@code result}) to {@link #path}: pb4j's writers
   * call it as the failure leaves each container they were writing. Not for application code.
   */
  public void prependPath(String step) {
    path = path == null ? step : step + path;
  }

  /** The message, followed by {@code (at PATH)} when the path is known. */
  @Override
  public String getMessage() {
    String message = super.getMessage();
    return path == null ? message : message + " (at " + path + ")";
  }
}
