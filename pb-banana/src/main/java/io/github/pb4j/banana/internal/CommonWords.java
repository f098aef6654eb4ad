package io.github.pb4j.banana.internal;

import io.github.pb4j.banana.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * Byte strings that recur in nearly every PB message but are not vocabulary words (Jelly's {@code
 * unicode} tag above all): decoded to shared instances, which saves an allocation each and lets
 * later lookups use a cached hash.
 *
 * <p><em>Immutable.</em>
 */
public final class CommonWords {
  private static final ByteString[] WORDS = {
    ByteString.ascii("unicode"),
    ByteString.ascii("boolean"),
    ByteString.ascii("true"),
    ByteString.ascii("false"),
    ByteString.ascii("root"),
    ByteString.ascii("set"),
    ByteString.ascii("frozenset"),
  };

  private CommonWords() {}

  /** Returns the shared instance equal to these bytes, or {@code null}. */
  public static @Nullable ByteString lookup(byte[] bytes, int offset, int length) {
    if (length < 3 || length > 9) {
      return null;
    }
    for (ByteString w : WORDS) {
      if (w.size() == length && w.byteAt(0) == bytes[offset] && w.contentEquals(bytes, offset, length)) {
        return w;
      }
    }
    return null;
  }
}
