package io.github.pb4j.jelly;

import io.github.pb4j.jelly.internal.JellyWords;
import io.github.pb4j.banana.ByteString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
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
 * id not yet defined, a reference id defined twice and a reference wrapping another reference are
 * errors (Twisted returns an internal placeholder, raises an assertion, or accepts). As in Python,
 * dict keys and set elements must be hashable: a list, dict or set there (also inside a tuple) is
 * refused.
 *
 * <p>The nesting limit counts containers, copyables and flavours, as {@link Jellier} does, so
 * whatever one jellier accepts an unjellier with the same limit accepts.
 *
 * <p><em>Not thread-safe;</em> one per connection, confined to its thread.
 */
public final class Unjellier {
  private static final ByteString TRUE = JellyWords.TRUE;
  private static final ByteString FALSE = JellyWords.FALSE;
  /** Names Twisted's globalSecurity allows as types but has no unjellier for. */
  private static final Set<String> TWISTED_TYPE_ALIASES =
      Set.of("NoneType", "bool", "string", "str", "int", "float", "long_int", "long", "dict");
  /** Tags of expressions one level deeper; type names (copyables) are too. */
  private static final Set<JellyTag> NESTED = EnumSet.of(
      JellyTag.LIST, JellyTag.TUPLE, JellyTag.DICTIONARY, JellyTag.SET, JellyTag.FROZENSET,
      JellyTag.REMOTE, JellyTag.LOCAL, JellyTag.CACHED, JellyTag.LCACHE);

  private final JellyRegistry registry;
  private final @Nullable JellyExtension extension;
  private final int maxDepth;

  /** This call's tables (references, tuples being read or found hashable); null between calls. */
  private @Nullable CallTables tables;
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
    CallTables t = CallTables.borrow();
    tables = t;
    try {
      return read(expression, 0);
    } catch (StackOverflowError e) {
      throw new JellyException("builtins.RecursionError", "expression nested too deeply", e);
    } finally {
      inCall = false;
      depth = 0;
      tables = null;
      t.giveBack();
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
   *
   * <p>Containers, copyables and flavours go one level deeper; atoms, text, dates, None and the
   * reference wrappers do not, so the depth counted is the one {@link Jellier} counts. The
   * recursion runs through small methods only, so that the limit is reached well before the
   * thread's stack is.
   */
  private @Nullable Object read(Object expression, int bindId) {
    if (!(expression instanceof List<?> list)) {
      return bind(bindId, expression);
    }
    ByteString tag = tagOf(list);
    JellyTag known = JellyTag.fromWire(tag);
    if (known != null && !NESTED.contains(known)) {
      return readLeaf(known, list, bindId);
    }
    if (++depth > maxDepth) {
      throw tooDeep();
    }
    try {
      return known == null ? readType(tag, list, bindId) : readNested(known, list, bindId);
    } finally {
      depth--;
    }
  }

  private JellyException tooDeep() {
    return new JellyException(
        "builtins.RecursionError", "nesting depth: more than " + maxDepth + " (expected: <= " + maxDepth + ")",
        null);
  }

  private static ByteString tagOf(List<?> list) {
    if (list.isEmpty()) {
      throw new JellyException("jelly expression: [] (expected: [tag, ...])");
    }
    if (!(list.get(0) instanceof ByteString tag)) {
      throw new JellyException(
          "jelly tag: " + describe(list.get(0)) + " (expected: a byte string)");
    }
    return tag;
  }

  private @Nullable Object readNested(JellyTag tag, List<?> list, int bindId) {
    switch (tag) {
      case LIST:
        return readList(list, bindId);
      case TUPLE:
        return readTuple(list, bindId);
      case DICTIONARY:
        return readDictionary(list, bindId);
      case SET:
        return readSet(list, bindId);
      case FROZENSET:
        return readFrozenSet(list, bindId);
      default:
        return readExtension(tag.wire(), list, bindId);
    }
  }

  private @Nullable Object readLeaf(JellyTag tag, List<?> list, int bindId) {
    switch (tag) {
      case UNICODE:
        return bind(bindId, text(list));
      case NONE:
        return bind(bindId, null);
      case BOOLEAN:
        return bind(bindId, bool(list));
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
      case REFERENCE:
        return readReference(list, bindId);
      case DEREFERENCE:
        return bind(bindId, dereference(list));
      case UNPERSISTABLE:
        return bind(bindId, new Unpersistable(lenientText(payload(list))));
      case PERSISTENT:
        return bind(bindId, new Unpersistable("Persistent callback not found"));
      default:
        // class, module, function, method, instance: never.
        throw new InsecureJellyException(tag.wire().toStringUtf8(), tag.wire().toPythonRepr());
    }
  }

  private List<@Nullable Object> readList(List<?> list, int bindId) {
    List<@Nullable Object> result = new ArrayList<>(list.size() - 1);
    bind(bindId, result);
    for (int i = 1, n = list.size(); i < n; i++) {
      result.add(read(list.get(i), 0));
    }
    return result;
  }

  private Tuple readTuple(List<?> list, int bindId) {
    Tuple result = Tuple.ofSize(list.size() - 1);
    bind(bindId, result);
    if (result.isEmpty()) {
      return result;
    }
    IdentityHashMap<Tuple, Boolean> open = tables().building;
    open.put(result, Boolean.TRUE);
    for (int i = 1, n = list.size(); i < n; i++) {
      result.fill(i - 1, read(list.get(i), 0));
    }
    open.remove(result);
    return result;
  }

  private Set<@Nullable Object> readSet(List<?> list, int bindId) {
    Set<@Nullable Object> result = new LinkedHashSet<>();
    bind(bindId, result);
    for (int i = 1, n = list.size(); i < n; i++) {
      result.add(hashable(read(list.get(i), 0), "set element"));
    }
    return result;
  }

  private FrozenSet readFrozenSet(List<?> list, int bindId) {
    List<@Nullable Object> elements = new ArrayList<>(list.size() - 1);
    for (int i = 1, n = list.size(); i < n; i++) {
      elements.add(hashable(read(list.get(i), 0), "frozenset element"));
    }
    return (FrozenSet) bind(bindId, FrozenSet.copyOf(elements));
  }

  private @Nullable Object readReference(List<?> list, int bindId) {
    int id = referenceId(arg(list, 1, 3));
    if (tables().references.containsKey(id)) {
      throw new JellyException("builtins.AssertionError",
          "reference id: " + id + " defined twice (expected: each id once)", null);
    }
    Object inner = list.get(2);
    if (inner instanceof List<?> l && !l.isEmpty() && JellyTag.REFERENCE.wire().equals(l.get(0))) {
      // Twisted gives an object one id at most; a chain of wrappers would nest without limit.
      throw new JellyException("reference " + id + ": wraps another reference (expected: a value)");
    }
    Object result = read(inner, id);
    tables().references.putIfAbsent(id, result);
    return bind(bindId, result);
  }

  private @Nullable Object dereference(List<?> list) {
    int id = referenceId(arg(list, 1, 2));
    if (!tables().references.containsKey(id)) {
      throw new JellyException(
          "dereference: id " + id + " not defined (expected: an earlier reference)");
    }
    return tables().references.get(id);
  }

  private static Boolean bool(List<?> list) {
    Object v = arg(list, 1, 2);
    if (TRUE.equals(v)) {
      return Boolean.TRUE;
    }
    if (FALSE.equals(v)) {
      return Boolean.FALSE;
    }
    throw new JellyException("builtins.AssertionError",
        "boolean: " + describe(v) + " (expected: b'true' or b'false')", null);
  }

  private @Nullable Object readDictionary(List<?> list, int bindId) {
    Map<@Nullable Object, @Nullable Object> result = new CompactDict(list.size() - 1);
    bind(bindId, result);
    for (int i = 1, n = list.size(); i < n; i++) {
      if (!(list.get(i) instanceof List<?> pair) || pair.size() != 2) {
        throw new JellyException(
            "dictionary item: " + describe(list.get(i)) + " (expected: a [key, value] pair)");
      }
      Object key = hashable(read(pair.get(0), 0), "dictionary key");
      result.put(key, read(pair.get(1), 0));
    }
    return result;
  }

  private CallTables tables() {
    CallTables t = tables;
    if (t == null) {
      throw new IllegalStateException("not inside an unjelly call");
    }
    return t;
  }

  private @Nullable Object hashable(@Nullable Object value, String what) {
    CallTables t = tables();
    return Hashability.check(value, what, t.building, t.hashable);
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
      tables().references.putIfAbsent(id, value);
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
