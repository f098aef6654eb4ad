package io.github.pb4j;

import io.github.pb4j.banana.PbException;

/**
 * A call named a method the object does not have. Java form of Twisted's {@code
 * flavors.NoSuchMethod}; a Twisted caller sees {@code twisted.spread.flavors.NoSuchMethod}.
 */
public final class NoSuchRemoteMethodException extends PbException {
  private static final long serialVersionUID = 1L;

  private final String name;

  public NoSuchRemoteMethodException(String name, String message) {
    super(message);
    this.name = name;
  }

  /** Returns the method name that was called. */
  public String name() {
    return name;
  }
}
