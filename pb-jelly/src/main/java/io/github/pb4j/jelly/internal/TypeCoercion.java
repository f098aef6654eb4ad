package io.github.pb4j.jelly.internal;

import io.github.pb4j.jelly.FrozenSet;
import io.github.pb4j.jelly.PythonRepr;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.jelly.TypeMismatchException;
import io.github.pb4j.banana.ByteString;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a received Jelly value against a Java type and converts it where the conversion loses
 * nothing: the argument type check of pb4j's remote methods (the seed's "Argument Typechecking",
 * done for every call) and of copyable state.
 *
 * <p>Rules: integers become {@code int}/{@code long}/{@code short}/{@code byte}/{@link
 * BigInteger} when in range; integers and floats become {@code double}/{@code float} (Python
 * passes ints where floats are meant), rounded to the nearest value as Python's {@code float()}
 * rounds, but a finite value too large for the type is refused, as {@code float(10**400)} raises
 * {@code OverflowError}; {@code bytes} ({@link ByteString}) never become a {@link String} nor the reverse ({@code
 * byte[]} accepts bytes); {@code bool} is not an integer; a {@code list} is a {@link List}, a
 * {@code tuple} a {@link Tuple} and also, read-only, a {@link List}, {@link Collection} or {@link
 * Iterable} (as Python code that takes a sequence takes either), a {@code set}/{@code frozenset} a {@link Set}, a {@code dict} a
 * {@link Map}, and element types of parameterised collections are checked element by element.
 * {@code None} fits every non-primitive type. Anything else must be an instance of the type.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
public final class TypeCoercion {
  private TypeCoercion() {}

  /**
   * Returns {@code value} as a value of {@code target}.
   *
   * @param what names the value in error messages, e.g. {@code "argument 'name'"}
   * @throws TypeMismatchException if the value does not fit
   */
  public static @Nullable Object coerce(@Nullable Object value, Type target, String what) {
    return coerce(value, target, what, null);
  }

  /**
   * The containers already checked in one {@link #coerce} call, with the type each was checked
   * against and the result: a container the value holds many times is checked once (a list of
   * 3000 references to one list of 3000 ints is 3000 elements to check, not 9 million), and
   * converted once, so the result shares as the value does.
   */
  private static final class Checked {
    private final IdentityHashMap<Object, Object[]> results = new IdentityHashMap<>();

    @Nullable Object @Nullable [] get(Object container, Type target) {
      Object[] r = results.get(container);
      return r != null && r[0].equals(target) ? r : null;
    }

    void put(Object container, Type target, Object result) {
      results.put(container, new Object[] {target, result});
    }
  }

  private static @Nullable Object coerce(@Nullable Object value, Type target, String what, @Nullable Checked checked) {
    if (target instanceof Class<?> c) {
      return coerceToClass(value, c, what);
    }
    if (target instanceof ParameterizedType p) {
      return coerceParameterized(value, p, what, checked);
    }
    if (target instanceof WildcardType w) {
      return coerce(value, w.getUpperBounds()[0], what, checked);
    }
    if (target instanceof TypeVariable<?> v) {
      return coerce(value, v.getBounds()[0], what, checked);
    }
    if (target instanceof GenericArrayType) {
      throw mismatch(value, target, what);
    }
    return value;
  }

  private static @Nullable Object coerceToClass(@Nullable Object value, Class<?> c, String what) {
    if (c == Object.class) {
      return value;
    }
    if (value == null) {
      if (c.isPrimitive()) {
        throw mismatch(null, c, what);
      }
      return null;
    }
    if (c.isInstance(value) && !isIntegral(c) && c != Double.class && c != Float.class) {
      return value;
    }
    if (c == int.class || c == Integer.class) {
      return (int) integral(value, c, what, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
    if (c == long.class || c == Long.class) {
      return integral(value, c, what, Long.MIN_VALUE, Long.MAX_VALUE);
    }
    if (c == short.class || c == Short.class) {
      return (short) integral(value, c, what, Short.MIN_VALUE, Short.MAX_VALUE);
    }
    if (c == byte.class || c == Byte.class) {
      return (byte) integral(value, c, what, Byte.MIN_VALUE, Byte.MAX_VALUE);
    }
    if (c == BigInteger.class) {
      if (value instanceof Integer || value instanceof Long) {
        return BigInteger.valueOf(((Number) value).longValue());
      }
      throw mismatch(value, c, what);
    }
    if (c == double.class || c == Double.class) {
      return floating(value, c, what);
    }
    if (c == float.class || c == Float.class) {
      double d = floating(value, c, what);
      float f = (float) d;
      if (Float.isInfinite(f) && !Double.isInfinite(d)) {
        throw mismatch(value, c, what); // too large for a float
      }
      return f;
    }
    if (c == boolean.class && value instanceof Boolean) {
      return value;
    }
    if ((c == char.class || c == Character.class) && value instanceof String s && s.length() == 1) {
      return s.charAt(0); // a Character is sent as a one-character str
    }
    if (c == byte[].class && value instanceof ByteString b) {
      return b.toByteArray();
    }
    if ((c == List.class || c == Collection.class || c == Iterable.class) && value instanceof Tuple t) {
      // Python code that takes a sequence takes a tuple too: a read-only view, no copy.
      return t.asList();
    }
    throw mismatch(value, c, what);
  }

  private static boolean isIntegral(Class<?> c) {
    return c == Integer.class || c == Long.class || c == Short.class || c == Byte.class;
  }

  private static long integral(Object value, Class<?> c, String what, long min, long max) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      long v = ((Number) value).longValue();
      if (v >= min && v <= max) {
        return v;
      }
    }
    throw mismatch(value, c, what);
  }

  private static double floating(Object value, Class<?> c, String what) {
    if (value instanceof Double || value instanceof Float) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      double d = ((Number) value).doubleValue();
      if (!Double.isInfinite(d)) {
        return d;
      }
    }
    throw mismatch(value, c, what);
  }

  private static @Nullable Object coerceParameterized(
      @Nullable Object value, ParameterizedType p, String what, @Nullable Checked checked) {
    Class<?> raw = (Class<?>) p.getRawType();
    Object instance = coerceToClass(value, raw, what);
    if (instance == null) {
      return null;
    }
    Type[] args = p.getActualTypeArguments();
    boolean isMap = instance instanceof Map<?, ?> && args.length == 2;
    if (!isMap && !(instance instanceof Collection<?> && args.length == 1)) {
      return instance;
    }
    if (checked == null) {
      checked = new Checked();
    }
    Object[] known = checked.get(value, p);
    if (known != null) {
      return known[1];
    }
    Object result = isMap
        ? coerceMap((Map<?, ?>) instance, args[0], args[1], what, checked)
        : coerceElements((Collection<?>) instance, args[0], what, checked);
    if (value instanceof Tuple && result != instance) {
      result = Collections.unmodifiableList((List<?>) result); // converted from a tuple: read-only still
    }
    checked.put(value, p, result);
    return result;
  }

  private static Object coerceElements(Collection<?> c, Type element, String what, Checked checked) {
    if (isObject(element)) {
      return c;
    }
    boolean changed = false;
    List<@Nullable Object> out = new ArrayList<>(c.size());
    int i = 0;
    for (Object o : c) {
      Object v = coerce(o, element, what + " element " + i++, checked);
      changed |= v != o;
      out.add(v);
    }
    if (!changed) {
      return c;
    }
    return c instanceof Set<?> ? (c instanceof FrozenSet ? FrozenSet.copyOf(out) : new LinkedHashSet<>(out)) : out;
  }

  private static Object coerceMap(Map<?, ?> map, Type key, Type value, String what, Checked checked) {
    if (isObject(key) && isObject(value)) {
      return map;
    }
    boolean changed = false;
    Map<@Nullable Object, @Nullable Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Object k = coerce(e.getKey(), key, what + " key", checked);
      Object v = coerce(e.getValue(), value, what + "[" + PythonRepr.brief(k) + "]", checked);
      changed |= k != e.getKey() || v != e.getValue();
      out.put(k, v);
    }
    return changed ? out : map;
  }

  private static boolean isObject(Type t) {
    return t == Object.class
        || (t instanceof WildcardType w && w.getUpperBounds()[0] == Object.class && w.getLowerBounds().length == 0);
  }

  private static TypeMismatchException mismatch(@Nullable Object value, Type target, String what) {
    return new TypeMismatchException(what + ": " + pythonTypeName(value) + " " + PythonRepr.brief(value)
        + " (expected: " + describe(target) + ")");
  }

  /** Returns the Python type name of a Jelly value, e.g. {@code bytes}, {@code str}, {@code NoneType}. */
  public static String pythonTypeName(@Nullable Object value) {
    if (value == null) {
      return "NoneType";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger
        || value instanceof Short || value instanceof Byte) {
      return "int";
    }
    if (value instanceof Double || value instanceof Float) {
      return "float";
    }
    if (value instanceof String) {
      return "str";
    }
    if (value instanceof ByteString || value instanceof byte[]) {
      return "bytes";
    }
    if (value instanceof Tuple) {
      return "tuple";
    }
    if (value instanceof List) {
      return "list";
    }
    if (value instanceof Map) {
      return "dict";
    }
    if (value instanceof FrozenSet) {
      return "frozenset";
    }
    if (value instanceof Set) {
      return "set";
    }
    if (value instanceof LocalDateTime) {
      return "datetime.datetime";
    }
    if (value instanceof LocalDate) {
      return "datetime.date";
    }
    if (value instanceof LocalTime) {
      return "datetime.time";
    }
    if (value instanceof Duration) {
      return "datetime.timedelta";
    }
    if (value instanceof BigDecimal) {
      return "decimal.Decimal";
    }
    return value.getClass().getSimpleName();
  }

  private static String describe(Type t) {
    if (t instanceof Class<?> c) {
      if (c == String.class) {
        return "str";
      }
      if (c == ByteString.class || c == byte[].class) {
        return "bytes";
      }
      if (c == int.class || c == Integer.class || c == long.class || c == Long.class
          || c == short.class || c == Short.class || c == byte.class || c == Byte.class) {
        return "int in the range of " + c.getSimpleName().toLowerCase().replace("integer", "int");
      }
      if (c == BigInteger.class) {
        return "int";
      }
      if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
        return "float";
      }
      if (c == boolean.class || c == Boolean.class) {
        return "bool";
      }
      if (c == List.class) {
        return "list";
      }
      if (c == Tuple.class) {
        return "tuple";
      }
      if (c == Map.class) {
        return "dict";
      }
      if (c == Set.class) {
        return "set";
      }
      return c.getSimpleName();
    }
    return t.getTypeName();
  }
}
