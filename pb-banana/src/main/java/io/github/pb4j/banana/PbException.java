package io.github.pb4j.banana;

import org.jspecify.annotations.Nullable;

/**
 * Base class of every failure pb4j reports. Unchecked: failures travel through futures.
 *
 * <p>Lives in the lowest module so that every layer can extend it.
 */
public class PbException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PbException(String message) {
    super(message);
  }

  public PbException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
