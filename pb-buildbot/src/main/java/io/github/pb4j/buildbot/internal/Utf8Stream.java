package io.github.pb4j.buildbot.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 that arrives in arbitrary pieces: a character cut between two reads waits for its
 * remaining bytes; invalid bytes become U+FFFD (Python's {@code errors='replace'}). <em>Not
 * thread-safe.</em>
 */
final class Utf8Stream {
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE)
      .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final ByteBuffer carry = ByteBuffer.allocate(8);

  /** Decodes {@code bytes[0, n)} after what was left over; keeps an incomplete last character. */
  String decode(byte[] bytes, int n) {
    ByteBuffer in = ByteBuffer.allocate(carry.position() + n);
    carry.flip();
    in.put(carry).put(bytes, 0, n).flip();
    carry.clear();
    CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
    decoder.decode(in, out, false);
    carry.put(in);
    return out.flip().toString();
  }

  /** Decodes what is left at the end of the stream (an incomplete character becomes U+FFFD). */
  String finish() {
    carry.flip();
    CharBuffer out = CharBuffer.allocate(carry.remaining() + 2);
    decoder.decode(carry, out, true);
    decoder.flush(out);
    carry.clear();
    decoder.reset();
    return out.flip().toString();
  }
}
