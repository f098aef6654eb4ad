package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns decoded Banana s-expressions into Java values (the data model in {@code
 * docs/jelly-data-model.md}). Java form of PB's unjellier with Twisted's {@code globalSecurity},
 * but stricter: only data tags, the flavours a {@link JellyExtension} handles and types in the
 * {@link JellyRegistry} are accepted; {@code class}, {@code module}, {@code function}, {@code
 * method}, {@code instance} and unregistered type names fail with {@link InsecureJellyException}
 * carrying Twisted's message.
 *
 * <p>Cycles are rebuilt: a container is registered under its reference id before its children
 * are read. Differences from Twisted, on input Twisted itself never produces: a dereference to an
 * id not yet defined, and a reference id defined twice, are errors (Twisted returns an internal
 * placeholder or raises an assertion).
 *
 * <p><em>Not thread-safe;</em> one per connection, confined to its thread.
 */
public final class Unjellier {
  private static final ByteString TRUE = ByteString.ascii("true");
  private static final ByteString FALSE = ByteString.ascii("false");
  /** Names Twisted's globalSecurity allows as types but has no unjellier for. */
  private static final Set<String> TWISTED_TYPE_ALIASES =
      Set.of("NoneType", "bool", "string", "str", "int", "float", "long_int", "long", "dict");

  private final JellyRegistry registry;
  private final @Nullable JellyExtension extension;
  private final int maxDepth;

  private final Map<Integer, @Nullable Object> references = new HashMap<>();
  private int depth;
  private boolean inCall;

  public Unjellier(JellyRegistry registry, @Nullable JellyExtension extension) {
    this(registry, extension, Jellier.DEFAULT_MAX_DEPTH);
  }

  public Unjellier(JellyRegistry registry, @Nullable JellyExtension extension, int maxDepth) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.extension = extension;
    this.maxDepth = maxDepth;
  }

  /** Returns the copyable registry. */
  public JellyRegistry registry() {
    return registry;
  }

  /**
   * Unjellies one expression: one Twisted unjelly call, with its own reference ids.
   *
   * @throws JellyException if the expression is not valid Jelly or names a type not allowed
   */
  public @Nullable Object unjelly(Object expression) {
    if (inCall) {
      throw new IllegalStateException("unjelly call already in progress");
    }
    inCall = true;
    try {
      return read(expression, 0);
    } catch (StackOverflowError e) {
      throw new JellyException("builtins.RecursionError", "expression nested too deeply", e);
    } finally {
      inCall = false;
      depth = 0;
      if (!references.isEmpty()) {
        references.clear();
      }
    }
  }

  /** Unjellies a child expression inside the current call; for {@link JellyExtension}s. */
  public @Nullable Object unjellyChild(Object expression) {
    if (!inCall) {
      throw new IllegalStateException("not inside an unjelly call");
    }
    return read(expression, 0);
  }

  /**
   * Reads one expression; {@code bindId}, when not 0, is the reference id the result must be
   * registered under (as early as possible, for cycles).
   */
  private @Nullable Object read(Object expression, int bindId) {
    if (!(expression instanceof List<?> list)) {
      return bind(bindId, expression);
    }
    if (list.isEmpty()) {
      throw new JellyException("jelly expression: [] (expected: [tag, ...])");
    }
    if (!(list.get(0) instanceof ByteString tag)) {
      throw new JellyException(
          "jelly tag: " + describe(list.get(0)) + " (expected: a byte string)");
    }
    if (++depth > maxDepth) {
      throw new JellyException(
          "builtins.RecursionError", "nesting depth: more than " + maxDepth + " (expected: <= " + maxDepth + ")",
          null);
    }
    try {
      JellyTag known = JellyTag.fromWire(tag);
      return known != null ? readTagged(known, list, bindId) : readType(tag, list, bindId);
    } finally {
      depth--;
    }
  }

  private @Nullable Object readTagged(JellyTag tag, List<?> list, int bindId) {
    switch (tag) {
      case UNICODE:
        return bind(bindId, text(list));
      case DICTIONARY:
        return readDictionary(list, bindId);
      case LIST: {
        List<@Nullable Object> result = new ArrayList<>(list.size() - 1);
        bind(bindId, result);
        for (int i = 1, n = list.size(); i < n; i++) {
          result.add(read(list.get(i), 0));
        }
        return result;
      }
      case TUPLE: {
        Tuple result = Tuple.ofSize(list.size() - 1);
        bind(bindId, result);
        for (int i = 1, n = list.size(); i < n; i++) {
          result.fill(i - 1, read(list.get(i), 0));
        }
        return result;
      }
      case NONE:
        return bind(bindId, null);
      case BOOLEAN: {
        Object v = arg(list, 1, 2);
        if (TRUE.equals(v)) {
          return bind(bindId, Boolean.TRUE);
        }
        if (FALSE.equals(v)) {
          return bind(bindId, Boolean.FALSE);
        }
        throw new JellyException("builtins.AssertionError",
            "boolean: " + describe(v) + " (expected: b'true' or b'false')", null);
      }
      case SET: {
        Set<@Nullable Object> result = new LinkedHashSet<>();
        bind(bindId, result);
        for (int i = 1, n = list.size(); i < n; i++) {
          result.add(read(list.get(i), 0));
        }
        return result;
      }
      case FROZENSET: {
        List<@Nullable Object> elements = new ArrayList<>(list.size() - 1);
        for (int i = 1, n = list.size(); i < n; i++) {
          elements.add(read(list.get(i), 0));
        }
        return bind(bindId, FrozenSet.copyOf(elements));
      }
      case DATETIME:
        return bind(bindId, JellyTime.parseDatetime(payload(list)));
      case DATE:
        return bind(bindId, JellyTime.parseDate(payload(list)));
      case TIME:
        return bind(bindId, JellyTime.parseTime(payload(list)));
      case TIMEDELTA:
        return bind(bindId, JellyTime.parseTimedelta(payload(list)));
      case DECIMAL:
        return bind(bindId, decimal(list));
      case REFERENCE: {
        int id = referenceId(arg(list, 1, 3));
        if (references.containsKey(id)) {
          throw new JellyException("builtins.AssertionError",
              "reference id: " + id + " defined twice (expected: each id once)", null);
        }
        Object result = read(arg(list, 2, 3), id);
        references.putIfAbsent(id, result);
        return bind(bindId, result);
      }
      case DEREFERENCE: {
        int id = referenceId(arg(list, 1, 2));
        if (!references.containsKey(id)) {
          throw new JellyException(
              "dereference: id " + id + " not defined (expected: an earlier reference)");
        }
        return bind(bindId, references.get(id));
      }
      case UNPERSISTABLE: {
        ByteString reason = payload(list);
        return bind(bindId, new Unpersistable(lenientText(reason)));
      }
      case PERSISTENT:
        return bind(bindId, new Unpersistable("Persistent callback not found"));
      case REMOTE:
      case LOCAL:
      case CACHED:
      case LCACHE:
        return readExtension(tag.wire(), list, bindId);
      default:
        // class, module, function, method, instance: never.
        throw new InsecureJellyException(tag.wire().toStringUtf8(), tag.wire().toPythonRepr());
    }
  }

  private @Nullable Object readDictionary(List<?> list, int bindId) {
    Map<@Nullable Object, @Nullable Object> result = new LinkedHashMap<>();
    bind(bindId, result);
    for (int i = 1, n = list.size(); i < n; i++) {
      if (!(list.get(i) instanceof List<?> pair) || pair.size() != 2) {
        throw new JellyException(
            "dictionary item: " + describe(list.get(i)) + " (expected: a [key, value] pair)");
      }
      Object key = read(pair.get(0), 0);
      result.put(key, read(pair.get(1), 0));
    }
    return result;
  }

  private @Nullable Object readType(ByteString tag, List<?> list, int bindId) {
    Object handled = readExtension(tag, list, bindId);
    if (handled != JellyExtension.NOT_HANDLED) {
      return handled;
    }
    CopyType<?> type = registry.forWireName(tag);
    if (type != null && type.canReceive()) {
      Object state = read(arg(list, 1, 2), 0);
      return bind(bindId, type.fromState(state));
    }
    throw refusal(tag);
  }

  private @Nullable Object readExtension(ByteString tag, List<?> list, int bindId) {
    if (extension == null) {
      if (JellyTag.fromWire(tag) != null) {
        throw new InsecureJellyException(tag.toStringUtf8(), tag.toPythonRepr());
      }
      return JellyExtension.NOT_HANDLED;
    }
    Object result = extension.unjelly(tag, list, this);
    if (result == JellyExtension.NOT_HANDLED) {
      if (JellyTag.fromWire(tag) != null) {
        throw new InsecureJellyException(tag.toStringUtf8(), tag.toPythonRepr());
      }
      return result;
    }
    return bind(bindId, result);
  }

  /** Returns the exception Twisted's globalSecurity raises for an unknown tag or type name. */
  private static InsecureJellyException refusal(ByteString tag) {
    String name = tag.isAscii() ? tag.toStringUtf8() : tag.toPythonRepr();
    int dot = name.lastIndexOf('.');
    if (dot >= 0 || TWISTED_TYPE_ALIASES.contains(name)) {
      String module = dot >= 0 ? name.substring(0, dot) : "";
      return new InsecureJellyException(name, "Module " + module + " not allowed (in type " + name + ").");
    }
    return new InsecureJellyException(name, tag.toPythonRepr());
  }

  private @Nullable Object bind(int id, @Nullable Object value) {
    if (id != 0) {
      references.putIfAbsent(id, value);
    }
    return value;
  }

  private static Object arg(List<?> list, int index, int size) {
    if (list.size() != size) {
      throw new JellyException(
          describe(list.get(0)) + " expression length: " + list.size() + " (expected: " + size + ")");
    }
    return list.get(index);
  }

  private static ByteString payload(List<?> list) {
    Object v = arg(list, 1, 2);
    if (!(v instanceof ByteString b)) {
      throw new JellyException(describe(list.get(0)) + " payload: " + describe(v) + " (expected: bytes)");
    }
    return b;
  }

  private static String text(List<?> list) {
    ByteString bytes = payload(list);
    try {
      return bytes.toStringUtf8();
    } catch (IllegalArgumentException e) {
      throw new JellyException("builtins.UnicodeDecodeError",
          "unicode: " + bytes.toPythonRepr() + " (expected: valid UTF-8)", e);
    }
  }

  private static String lenientText(ByteString bytes) {
    try {
      return bytes.toStringUtf8();
    } catch (IllegalArgumentException e) {
      return bytes.toPythonRepr();
    }
  }

  private static BigDecimal decimal(List<?> list) {
    Object coefficient = arg(list, 1, 3);
    Object exponent = list.get(2);
    if (!(exponent instanceof Integer e) || !isInteger(coefficient)) {
      throw new JellyException(
          "decimal: " + describe(coefficient) + ", " + describe(exponent) + " (expected: two ints)");
    }
    BigInteger c = coefficient instanceof BigInteger b ? b : BigInteger.valueOf(((Number) coefficient).longValue());
    if ((long) e == Integer.MIN_VALUE) {
      throw new JellyException("decimal exponent: " + e + " (out of range)");
    }
    return new BigDecimal(c, -e);
  }

  private static boolean isInteger(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof BigInteger;
  }

  private static int referenceId(Object v) {
    if (!(v instanceof Integer id)) {
      throw new JellyException("reference id: " + describe(v) + " (expected: an int)");
    }
    return id;
  }

  private static String describe(@Nullable Object sexp) {
    if (sexp instanceof ByteString b) {
      return b.toPythonRepr();
    }
    String s = io.github.pb4j.banana.SexpFormatter.format(Objects.requireNonNull(sexp));
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
