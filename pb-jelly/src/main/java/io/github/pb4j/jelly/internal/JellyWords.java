package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;

/** The words of Jelly that are not tags: a boolean's {@code b'true'} and {@code b'false'}. */
final class JellyWords {
  static final ByteString TRUE = ByteString.ascii("true");
  static final ByteString FALSE = ByteString.ascii("false");

  private JellyWords() {}
}
