package io.github.pb4j.examples;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.PythonRepr;
import io.github.pb4j.jelly.Tuple;
import java.math.BigDecimal;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders values as Python's {@code print()} shows them, so that an example prints what its Python
 * twin prints: a {@code str} as its text, other data as its {@code repr}, and any other object as
 * {@code <qualified.Name object at 0x...>} (the address is the identity hash).
 *
 * <p>The text is at most {@link PythonRepr#DEFAULT_MAX_CHARS} characters, cut with {@code ...}
 * (see {@link PythonRepr}): a received value that shares its parts could otherwise print as
 * billions of characters.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
public final class PythonStr {
  private PythonStr() {}

  /** Returns Python's {@code str(value)} for a value received over PB, or an object's repr. */
  public static String of(@Nullable Object value) {
    if (value instanceof String s) {
      return PythonRepr.abbreviate(s, PythonRepr.DEFAULT_MAX_CHARS);
    }
    if (isData(value)) {
      return PythonRepr.of(value);
    }
    return objectRepr(value);
  }

  /** Returns Python's default repr of an object: {@code <a.b.Name object at 0x1f2e3d>}. */
  public static String objectRepr(Object object) {
    return "<"
        + object.getClass().getName().replace('$', '.')
        + " object at 0x"
        + Integer.toHexString(System.identityHashCode(object))
        + ">";
  }

  private static boolean isData(@Nullable Object value) {
    return value == null
        || value instanceof Boolean
        || value instanceof Number
        || value instanceof ByteString
        || value instanceof byte[]
        || value instanceof Character
        || value instanceof Collection
        || value instanceof Map
        || value instanceof Tuple
        || value instanceof Temporal
        || value instanceof TemporalAmount
        || value instanceof BigDecimal;
  }
}
