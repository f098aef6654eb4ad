package io.github.pb4j.userstore;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Conversions of passwords that leave no extra copies behind. */
final class Secrets {
  private Secrets() {}

  /** Returns {@code password} encoded as UTF-8, wiping the encoder's intermediate buffer. */
  static byte[] utf8(char[] password) {
    ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    if (buffer.hasArray()) {
      Arrays.fill(buffer.array(), (byte) 0);
    }
    return bytes;
  }

  /** Overwrites {@code secret} with zeros. */
  static void wipe(byte[] secret) {
    Arrays.fill(secret, (byte) 0);
  }
}
