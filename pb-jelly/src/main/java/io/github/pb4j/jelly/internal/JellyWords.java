package io.github.pb4j.jelly.internal;

import io.github.pb4j.banana.ByteString;

/** The words of Jelly that are not tags: a boolean's {@code b'true'} and {@code b'false'}. */
public final class JellyWords {
  public static final ByteString TRUE = ByteString.ascii("true");
  public static final ByteString FALSE = ByteString.ascii("false");

  private JellyWords() {}
}
