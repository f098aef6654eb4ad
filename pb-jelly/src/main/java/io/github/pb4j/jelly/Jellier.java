package io.github.pb4j.jelly;

import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaException;
import io.github.pb4j.banana.PbException;
import io.github.pb4j.banana.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Jellies Java values straight into Banana bytes, byte-for-byte as Twisted's jellier does
 * ({@code twisted.spread.jelly._Jellier}): no intermediate tree.
 *
 * <p>Shared and cyclic structure (lists, tuples, dicts, sets, copyables) is kept with Twisted's
 * exact algorithm: the first occurrence of an object seen a second time is wrapped, after the
 * fact, in {@code [b'reference', id, ...]}, ids numbered in order of second encounters, and later
 * occurrences become {@code [b'dereference', id]}. Banana lists carry element counts, not byte
 * lengths, so the wrapper is spliced in at the end of the call without touching anything else.
 *
 * <p>Each {@link #jelly} call is one Twisted jelly call (one reference-id scope) and is atomic:
 * when it fails, nothing is left in the buffer.
 *
 * <p><em>Not thread-safe;</em> one per connection, confined to its thread.
 */
public final class Jellier {
  /** Python's recursion gives up around 1000 levels; so do we, with a clear error. */
  public static final int DEFAULT_MAX_DEPTH = 1000;

  private static final int KEY_SLOTS = CallTables.KeyCache.SLOTS;
  private static final int MAX_CACHED_KEY = 24;
  /** The header of a dict item, a list of 2, as one short. */
  private static final int ITEM_HEADER = 0x0280;

  private final BananaEncoder encoder;
  private final JellyRegistry registry;
  private final @Nullable JellyExtension extension;
  private final int maxDepth;


  /** The dialect's encoded words ({@code [b'unicode', } and the tags), shared by every connection. */
  private final JellierWords words;

  private @Nullable ByteBuf out;
  private int depth;
  /** This call's tables, borrowed from the thread; null between calls. */
  private @Nullable CallTables tables;
  /** The state of the copy being written, whose keys a failure's path names as attributes. */
  private @Nullable Object copyState;
  /**
   * Encoded dict item headers with {@code [b'unicode', key]} of recent keys, by the key's hash
   * (keys recur): the thread's, for this dialect, taken from the call's tables at the first dict
   * key of a call.
   */
  private CallTables.@Nullable KeyCache keys;
  private int nextReferenceId;
  private int insertionCount;

  public Jellier(BananaEncoder encoder, JellyRegistry registry, @Nullable JellyExtension extension) {
    this(encoder, registry, extension, DEFAULT_MAX_DEPTH);
  }

  public Jellier(
      BananaEncoder encoder, JellyRegistry registry, @Nullable JellyExtension extension, int maxDepth) {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.extension = extension;
    this.maxDepth = maxDepth;
    // The encoded words depend on the dialect only: every connection shares them.
    this.words = JellierWords.of(encoder);
  }

  /** Returns the Banana encoder, whose dialect this jellier writes. */
  public BananaEncoder encoder() {
    return encoder;
  }

  /** Returns the copyable registry consulted for objects that are not data-model values. */
  public JellyRegistry registry() {
    return registry;
  }

  /**
   * Appends the jelly of {@code value} to {@code out}: one jelly call, with its own reference ids.
   *
   * @throws JellyException if some part of the value cannot be jellied ({@code out} is unchanged)
   * @throws io.github.pb4j.banana.BananaException if a value breaks a Banana limit (likewise)
   */
  public void jelly(@Nullable Object value, ByteBuf out) {
    run(value, null, out);
  }

  /**
   * Appends the jelly of {@code elements} as a tuple: what {@code jelly(Tuple.copyOf(elements),
   * out)} writes, without making the tuple (a call's positional arguments).
   *
   * @throws JellyException as {@link #jelly} does ({@code out} is then unchanged)
   */
  public void jellyTuple(List<?> elements, ByteBuf out) {
    run(null, Objects.requireNonNull(elements, "elements"), out);
  }

  /** One jelly call: of {@code value}, or of {@code tupleElements} as a new tuple when not null. */
  private void run(@Nullable Object value, @Nullable List<?> tupleElements, ByteBuf out) {
    if (this.out != null) {
      throw new IllegalStateException("jelly call already in progress");
    }
    int mark = out.writerIndex();
    this.out = out;
    CallTables t = CallTables.borrow();
    tables = t;
    try {
      if (tupleElements == null) {
        writeValue(value);
      } else {
        // A new tuple is never met twice: no reference tracking for it, only for its elements.
        enter();
        encoder.writeListHeader(out, tupleElements.size() + 1);
        out.writeBytes(words.tagTuple);
        int i = 0;
        for (Object o : tupleElements) {
          try {
            writeValue(o);
          } catch (RuntimeException e) {
            throw withStep(e, i);
          }
          i++;
        }
      }
      if (insertionCount > 0) {
        spliceReferences(mark);
      }
    } catch (RuntimeException | StackOverflowError e) {
      out.writerIndex(mark);
      if (e instanceof StackOverflowError) {
        throw new JellyException("builtins.RecursionError", "value nested too deeply to jelly", e);
      }
      throw e;
    } finally {
      this.out = null;
      depth = 0;
      copyState = null;
      nextReferenceId = 0;
      insertionCount = 0;
      keys = null;
      tables = null;
      t.giveBack();
    }
  }

  /** Writes one value inside the current jelly call; for {@link JellyExtension}s. */
  public void writeValue(@Nullable Object value) {
    ByteBuf out = buffer();
    if (value == null) {
      out.writeBytes(words.noneExpr);
    } else if (value instanceof String s) {
      out.writeBytes(words.unicodeHeader);
      if (!encoder.writeAscii(out, s)) {
        checkEncodable(s);
        encoder.writeUtf8(out, s);
      }
    } else if (value instanceof Integer || value instanceof Long) {
      encoder.writeInt(out, ((Number) value).longValue());
    } else if (value instanceof Double d) {
      encoder.writeFloat(out, d);
    } else if (value instanceof ByteString b) {
      encoder.writeBytes(out, b);
    } else if (value instanceof Boolean b) {
      out.writeBytes(b ? words.trueExpr : words.falseExpr);
    } else if (value instanceof Map<?, ?> map) {
      writeMap(map);
    } else if (value instanceof List<?> list) {
      writeSequence(list, list, words.tagList);
    } else if (value instanceof Tuple tuple) {
      writeSequence(tuple, tuple.asList(), words.tagTuple);
    } else if (value instanceof Set<?> set) {
      writeSequence(set, set, value instanceof FrozenSet ? words.tagFrozenset : words.tagSet);
    } else {
      writeOther(value, out);
    }
  }

  private void writeOther(Object value, ByteBuf out) {
    if (value instanceof BigInteger b) {
      encoder.writeInteger(out, b);
    } else if (value instanceof Short || value instanceof Byte) {
      encoder.writeInt(out, ((Number) value).longValue());
    } else if (value instanceof Float f) {
      encoder.writeFloat(out, f);
    } else if (value instanceof byte[] b) {
      encoder.writeBytes(out, b, 0, b.length);
    } else if (value instanceof Character c) {
      writeValue(c.toString());
    } else if (value instanceof LocalDateTime t) {
      writeTagged(JellyTag.DATETIME, JellyTime.datetime(t));
    } else if (value instanceof LocalDate d) {
      writeTagged(JellyTag.DATE, JellyTime.date(d));
    } else if (value instanceof LocalTime t) {
      writeTagged(JellyTag.TIME, JellyTime.time(t));
    } else if (value instanceof Duration d) {
      writeTagged(JellyTag.TIMEDELTA, JellyTime.timedelta(d));
    } else if (value instanceof BigDecimal d) {
      encoder.writeListHeader(out, 3);
      encoder.writeBytes(out, JellyTag.DECIMAL.wire());
      encoder.writeInteger(out, d.unscaledValue());
      encoder.writeInt(out, -(long) d.scale());
    } else if (value instanceof Unpersistable u) {
      checkEncodable(u.reason());
      writeTagged(JellyTag.UNPERSISTABLE, u.reason());
    } else if (extension != null && extension.jelly(value, this)) {
      return;
    } else {
      CopyType<?> type = registry.forClass(value.getClass());
      if (type == null || !type.canSend()) {
        throw new JellyException(
            "builtins.TypeError",
            "cannot jelly " + value.getClass().getName()
                + " (expected: a Jelly data type, a pb4j flavour, or a type registered in the JellyRegistry)",
            null);
      }
      writeCopy(value, type.wireName(), type.stateOf(value));
    }
  }

  /**
   * Refuses text with a lone surrogate, which has no UTF-8 form: Python raises
   * UnicodeEncodeError, and the UTF-8 writer would silently put a {@code ?} in its place.
   */
  private static void checkEncodable(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          throw new JellyException("builtins.UnicodeEncodeError",
              String.format("str: lone surrogate \\u%04x at index %d (expected: valid UTF-16)", (int) c, i), null);
        }
      }
    }
  }

  private void writeTagged(JellyTag tag, String payload) {
    ByteBuf out = buffer();
    encoder.writeListHeader(out, 2);
    encoder.writeBytes(out, tag.wire());
    encoder.writeUtf8(out, payload);
  }

  private void writeSequence(Object identity, Collection<?> elements, byte[] tag) {
    if (!beginTracked(identity)) {
      return;
    }
    enter();
    ByteBuf out = buffer();
    encoder.writeListHeader(out, elements.size() + 1);
    out.writeBytes(tag);
    if (elements instanceof Set<?>) {
      for (Object o : elements) {
        Hashability.check(o, "set element", Map.of(), tables().hashable);
      }
    }
    if (elements instanceof List<?> list && elements instanceof java.util.RandomAccess) {
      for (int i = 0, n = list.size(); i < n; i++) {
        try {
          writeValue(list.get(i));
        } catch (RuntimeException e) {
          throw withStep(e, i);
        }
      }
    } else if (elements instanceof Set<?>) {
      for (Object o : elements) {
        writeValue(o); // a set element has no position to name
      }
    } else {
      int i = 0;
      for (Object o : elements) {
        try {
          writeValue(o);
        } catch (RuntimeException e) {
          throw withStep(e, i);
        }
        i++;
      }
    }
    depth--;
  }

  private void writeMap(Map<?, ?> map) {
    if (!beginTracked(map)) {
      return;
    }
    enter();
    ByteBuf out = buffer();
    encoder.writeListHeader(out, map.size() + 1);
    out.writeBytes(words.tagDictionary);
    boolean copyState = map == this.copyState;
    if (map instanceof CompactDict d && d.isCompact()) {
      for (int i = 0, n = d.size(); i < n; i++) {
        writeItem(out, d.keyAt(i), d.valueAt(i), copyState);
      }
    } else {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        writeItem(out, e.getKey(), e.getValue(), copyState);
      }
    }
    depth--;
  }

  /** Writes one dict item: a {@code [key, value]} pair, a list of 2. */
  private void writeItem(ByteBuf out, @Nullable Object key, @Nullable Object value, boolean copyState) {
    writeItemHeaderAndKey(out, key);
    try {
      writeValue(value);
    } catch (RuntimeException e) {
      throw withStep(e, copyState && key instanceof String s && isIdentifier(s) ? "." + s : "[" + PythonRepr.brief(key) + "]");
    }
  }

  /**
   * Adds a step to the path of a failure leaving a container ({@link PbException#path}), so that
   * its message says where in the value the part that cannot be sent sits; on the failure path
   * only (a try block costs nothing until it catches).
   */
  private static RuntimeException withStep(RuntimeException e, int index) {
    return withStep(e, "[" + index + "]");
  }

  private static RuntimeException withStep(RuntimeException e, String step) {
    if (tracksPath(e)) {
      ((PbException) e).prependPath(step);
    }
    return e;
  }

  /**
   * True for the failures whose message gains a path: not a refusal Twisted words exactly
   * (InsecureJelly), nor a nesting too deep, whose path would be a thousand steps of nothing.
   */
  private static boolean tracksPath(RuntimeException e) {
    if (e instanceof JellyException j) {
      return !(j instanceof InsecureJellyException) && !j.twistedType().equals("builtins.RecursionError");
    }
    return e instanceof BananaException;
  }

  /**
   * Names the root of the path of a failure thrown by {@link #jelly} or {@link #jellyTuple} inside
   * the value, e.g. {@code result} or {@code args}; returns {@code e}. A failure of the value as a
   * whole gets no path.
   */
  public static RuntimeException withPathRoot(RuntimeException e, String root) {
    return e instanceof PbException p && p.path() != null ? withStep(e, root) : e;
  }

  private static boolean isIdentifier(String s) {
    if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0)) || s.charAt(0) == '$') {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isJavaIdentifierPart(c) || c == '$') {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes a dict item's header ({@code [key, value]} is a list of 2) and its key; for short text
   * keys both come from a cache of their encodings, in one write.
   */
  private void writeItemHeaderAndKey(ByteBuf out, @Nullable Object key) {
    if (!(key instanceof String s) || s.length() > MAX_CACHED_KEY) {
      out.writeShort(ITEM_HEADER);
      writeValue(Hashability.check(key, "dictionary key", Map.of(), tables().hashable));
      return;
    }
    CallTables.KeyCache cache = keys;
    if (cache == null) {
      cache = keys = tables().keyCache(encoder.dialect());
    }
    String[] keyText = cache.text;
    byte[][] keyBytes = cache.bytes;
    int slot = (s.hashCode() * 0x9E3779B9 >>> 24) & (KEY_SLOTS - 1);
    String cached = keyText[slot];
    if (cached != s && !s.equals(cached)) {
      int mark = out.writerIndex();
      out.writeShort(ITEM_HEADER);
      writeValue(s);
      keyBytes[slot] = ByteBufUtil.getBytes(out, mark, out.writerIndex() - mark);
      keyText[slot] = s;
      return;
    }
    out.writeBytes(keyBytes[slot]);
  }

  /**
   * Writes a pass-by-copy object as {@code [typeName, state]}, taking part in reference tracking
   * under {@code identity}; for {@link JellyExtension}s and registered types.
   */
  public void writeCopy(Object identity, ByteString typeName, @Nullable Object state) {
    if (!beginTracked(identity)) {
      return;
    }
    enter();
    ByteBuf out = buffer();
    encoder.writeListHeader(out, 2);
    encoder.writeBytes(out, typeName);
    Object outer = copyState;
    copyState = state; // its string keys are attributes: a failure's path says .name
    try {
      writeValue(state);
    } finally {
      copyState = outer;
    }
    depth--;
  }

  /**
   * Starts writing an object that takes part in reference tracking. Returns true if this is its
   * first occurrence in the call (the caller then writes it); otherwise writes {@code
   * [b'dereference', id]} and returns false.
   */
  public boolean beginTracked(Object identity) {
    ByteBuf out = buffer();
    CallTables t = tables();
    IdentityTable seen = t.seen;
    int slot = seen.find(identity);
    if (slot < 0) {
      seen.add(slot, identity, out.writerIndex());
      return true;
    }
    int id = seen.id(slot);
    if (id == 0) {
      id = ++nextReferenceId;
      seen.setId(slot, id);
      int[] insertions = t.insertions;
      if (insertionCount * 2 == insertions.length) {
        insertions = Arrays.copyOf(insertions, insertions.length * 2);
        t.insertions = insertions;
      }
      insertions[insertionCount * 2] = seen.offset(slot);
      insertions[insertionCount * 2 + 1] = id;
      insertionCount++;
    }
    encoder.writeListHeader(out, 2);
    out.writeBytes(words.tagDereference);
    encoder.writeInt(out, id);
    return false;
  }

  /** Writes a list header inside the current call; for {@link JellyExtension}s. */
  public void writeListHeader(int count) {
    encoder.writeListHeader(buffer(), count);
  }

  /** Writes a byte string (a tag, a type name) inside the current call. */
  public void writeBytes(ByteString bytes) {
    encoder.writeBytes(buffer(), bytes);
  }

  /** Writes an integer inside the current call. */
  public void writeInt(long value) {
    encoder.writeInt(buffer(), value);
  }

  private CallTables tables() {
    CallTables t = tables;
    if (t == null) {
      throw new IllegalStateException("not inside a jelly call");
    }
    return t;
  }

  private ByteBuf buffer() {
    ByteBuf out = this.out;
    if (out == null) {
      throw new IllegalStateException("not inside a jelly call");
    }
    return out;
  }

  private void enter() {
    if (++depth > maxDepth) {
      throw new JellyException(
          "builtins.RecursionError", "nesting depth: more than " + maxDepth + " (expected: <= " + maxDepth + ")",
          null);
    }
  }

  /** Wraps every first occurrence that was seen again in {@code [b'reference', id, ...]}. */
  private void spliceReferences(int mark) {
    ByteBuf out = buffer();
    int[] pairs = sortedInsertions();
    int end = out.writerIndex();
    ByteBuf copy = out.alloc().heapBuffer(end - mark);
    try {
      copy.writeBytes(out, mark, end - mark);
      out.writerIndex(mark);
      int position = mark;
      for (int i = 0; i < pairs.length; i += 2) {
        int offset = pairs[i];
        out.writeBytes(copy, position - mark, offset - position);
        encoder.writeListHeader(out, 3);
        out.writeBytes(words.tagReference);
        encoder.writeInt(out, pairs[i + 1]);
        position = offset;
      }
      out.writeBytes(copy, position - mark, end - position);
    } finally {
      copy.release();
    }
  }

  private int[] sortedInsertions() {
    int[] insertions = tables().insertions;
    long[] packed = new long[insertionCount];
    for (int i = 0; i < insertionCount; i++) {
      packed[i] = ((long) insertions[i * 2] << 32) | (insertions[i * 2 + 1] & 0xffffffffL);
    }
    Arrays.sort(packed);
    int[] result = new int[insertionCount * 2];
    for (int i = 0; i < insertionCount; i++) {
      result[i * 2] = (int) (packed[i] >>> 32);
      result[i * 2 + 1] = (int) packed[i];
    }
    return result;
  }
}
