package io.github.pb4j.jelly;

import io.github.pb4j.jelly.internal.JellyReader;
import static io.github.pb4j.jelly.testing.JellyAssertions.assertSameGraph;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaException;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.internal.BananaReader;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.testing.JellyArbitraries;
import io.github.pb4j.jelly.testing.JellyCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The one-pass reader never disagrees with the general path ({@link BananaDecoder} then {@link
 * Unjellier}): what it returns, they return with the same types; what they refuse, it declines;
 * and it reads every value of its subset itself.
 */
class JellyReaderTest {
  private static final Object DECLINED = new Object() {
    @Override
    public String toString() {
      return "(declined)";
    }
  };

  /** The fast path's answer for the first expression of {@code bytes}: a value or {@link #DECLINED}. */
  private static @Nullable Object fast(byte[] bytes, Dialect dialect) {
    return fast(bytes, dialect, new int[1]);
  }

  private static @Nullable Object fast(byte[] bytes, Dialect dialect, int[] consumed) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    BananaReader banana = new BananaReader(BananaLimits.DEFAULT, dialect);
    JellyReader reader = new JellyReader(banana, Jellier.DEFAULT_MAX_DEPTH);
    banana.begin(buf);
    Object value;
    try {
      value = reader.read();
    } catch (BananaReader.Unsupported e) {
      banana.rollback();
      banana.commit(buf);
      assertThat(buf.readerIndex()).as("nothing consumed when declining").isZero();
      return DECLINED;
    }
    banana.commit(buf);
    consumed[0] = buf.readerIndex();
    return value;
  }

  /** The general path's answer: a value, or the exception it throws. */
  private static @Nullable Object slow(byte[] bytes, Dialect dialect, Unjellier unjellier) {
    return slow(bytes, dialect, unjellier, new int[1]);
  }

  private static @Nullable Object slow(byte[] bytes, Dialect dialect, Unjellier unjellier, int[] consumed) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      Object sexp = new BananaDecoder(BananaLimits.DEFAULT, dialect).decode(buf);
      consumed[0] = buf.readerIndex();
      if (sexp == null) {
        return new IllegalStateException("incomplete");
      }
      return unjellier.unjelly(sexp);
    } catch (BananaException | JellyException e) {
      return e;
    }
  }

  /** Asserts agreement and returns true if the fast path read the value itself. */
  private static boolean agree(byte[] bytes, Dialect dialect) {
    int[] fastConsumed = new int[1];
    Object fast = fast(bytes, dialect, fastConsumed);
    if (fast == DECLINED) {
      return false;
    }
    int[] slowConsumed = new int[1];
    Object slow = slow(bytes, dialect, new Unjellier(JellyRegistry.EMPTY, null), slowConsumed);
    if (slow instanceof RuntimeException e) {
      throw new AssertionError("fast path read " + fast + " from " + ByteString.of(bytes).hex()
          + " but the general path says " + e, e);
    }
    assertSameGraph(slow, fast);
    assertThat(fastConsumed[0]).as("bytes consumed").isEqualTo(slowConsumed[0]);
    return true;
  }

  private static byte[] jelly(@Nullable Object value, Dialect dialect) {
    return ByteString.fromHex(JellyCodec.plain().jellyHex(value, dialect)).toByteArray();
  }

  @Test
  void agreesOnEveryVector() throws Exception {
    int read = 0;
    int declined = 0;
    for (JsonNode v : JellyVectorsTest.load()) {
      for (String field : List.of("hex", "hex_none_dialect")) {
        if (!v.hasNonNull(field)) {
          continue;
        }
        Dialect dialect = field.equals("hex") ? Dialect.PB : Dialect.NONE;
        if (agree(ByteString.fromHex(v.get(field).asText()).toByteArray(), dialect)) {
          read++;
        } else {
          declined++;
        }
      }
    }
    // Plain data is read in one pass; references, flavours, copyables, sets, dates are declined.
    assertThat(read).isGreaterThan(60);
    assertThat(declined).isGreaterThan(60);
  }

  @Property(tries = 500)
  void readsEveryValueOfItsSubsetAsTheUnjellierDoes(@ForAll("values") @Nullable Object value) {
    for (Dialect dialect : Dialect.values()) {
      byte[] bytes = jelly(value, dialect);
      boolean read = agree(bytes, dialect);
      assertThat(read).as("read in one pass: %s", value).isEqualTo(inSubset(value, 0));
    }
  }

  @Provide
  Arbitrary<@Nullable Object> values() {
    return JellyArbitraries.values(true);
  }

  /** Values the fast path must read itself: plain data, no object met twice (a reference). */
  private static boolean inSubset(@Nullable Object value, int depth) {
    return inSubset(value, depth, new java.util.IdentityHashMap<>());
  }

  private static boolean inSubset(@Nullable Object value, int depth, Map<Object, Boolean> seen) {
    if (value instanceof Long l && l == Long.MIN_VALUE) {
      return false; // a magnitude of 64 bits
    }
    if (value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
        || value instanceof Double || value instanceof ByteString || value instanceof String) {
      return true;
    }
    if (depth >= 64 || seen.put(value, Boolean.TRUE) != null) {
      return false; // too deep, or shared (the empty tuple is one object, as in Python)
    }
    if (value instanceof List<?> list) {
      return list.stream().allMatch(e -> inSubset(e, depth + 1, seen));
    }
    if (value instanceof Tuple tuple) {
      return tuple.asList().stream().allMatch(e -> inSubset(e, depth + 1, seen));
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .allMatch(e -> inSubset(e.getKey(), depth + 1, seen) && inSubset(e.getValue(), depth + 1, seen));
    }
    return false;
  }

  @Property(tries = 2000)
  void agreesOnArbitraryExpressions(@ForAll("expressions") Object sexp) {
    for (Dialect dialect : Dialect.values()) {
      agree(ByteString.fromHex(JellyCodec.encodeSexp(sexp, dialect)).toByteArray(), dialect);
    }
  }

  @Provide
  Arbitrary<Object> expressions() {
    return JellyRoundTripPropertyTest.expressionTrees();
  }

  @Property(tries = 3000)
  void agreesOnArbitraryBytes(@ForAll("noise") byte[] bytes) {
    for (Dialect dialect : Dialect.values()) {
      agree(bytes, dialect);
    }
  }

  @Provide
  Arbitrary<byte[]> noise() {
    // Biased towards valid token headers so that some inputs get deep.
    Arbitrary<Byte> bytes = Arbitraries.oneOf(
        Arbitraries.bytes(),
        Arbitraries.of((byte) 0x01, (byte) 0x02, (byte) 0x03, (byte) 0x80, (byte) 0x81, (byte) 0x82, (byte) 0x87,
            (byte) 0x05, (byte) 0x08, (byte) 0x0b, (byte) 0x84));
    return bytes.array(byte[].class).ofMaxSize(40);
  }

  @Test
  void declinesEveryIncompletePrefix() {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("name", "item-1");
    record.put("id", 1);
    record.put("value", 1.5);
    record.put("tags", new ArrayList<>(List.of(Tuple.of(true, null), ByteString.ascii("x"))));
    byte[] whole = jelly(List.of(record, record.hashCode()), Dialect.PB);
    assertThat(agree(whole, Dialect.PB)).isTrue();
    for (int n = 0; n < whole.length; n++) {
      byte[] prefix = java.util.Arrays.copyOf(whole, n);
      assertThat(fast(prefix, Dialect.PB)).as("prefix of %d bytes", n).isSameAs(DECLINED);
    }
  }

  @Test
  void readsSeveralExpressionsFromOneWindowAndCommitsExactly() {
    byte[] a = jelly("one", Dialect.PB);
    byte[] b = jelly(List.of(2, 3.0), Dialect.PB);
    byte[] c = jelly(java.util.Set.of(4), Dialect.PB); // a set: declined
    ByteBuf buf = Unpooled.buffer();
    buf.writeBytes(a).writeBytes(b).writeBytes(c);
    BananaReader banana = new BananaReader(BananaLimits.DEFAULT, Dialect.PB);
    JellyReader reader = new JellyReader(banana, Jellier.DEFAULT_MAX_DEPTH);
    banana.begin(buf);
    assertThat(reader.read()).isEqualTo("one");
    banana.commit(buf);
    assertThat(buf.readerIndex()).isEqualTo(a.length);
    assertThat(reader.read()).isEqualTo(List.of(2, 3.0));
    banana.commit(buf);
    assertThatThrownBy(reader::read).isSameAs(BananaReader.Unsupported.INSTANCE);
    banana.rollback();
    banana.commit(buf);
    assertThat(buf.readerIndex()).isEqualTo(a.length + b.length);
  }

  @Test
  void declinesWhatBreaksALimitAndLeavesTheErrorToTheDecoder() {
    // A vocabulary token in the none dialect, a nesting beyond the unjellier's limit.
    assertThat(fast(jelly(List.of(), Dialect.PB), Dialect.NONE)).isSameAs(DECLINED);
    Object deep = "x";
    for (int i = 0; i < 70; i++) {
      deep = new ArrayList<>(List.of(deep));
    }
    assertThat(fast(jelly(deep, Dialect.PB), Dialect.PB)).isSameAs(DECLINED);
    BananaReader banana = new BananaReader(BananaLimits.DEFAULT, Dialect.PB);
    JellyReader shallow = new JellyReader(banana, 2);
    banana.begin(Unpooled.wrappedBuffer(jelly(List.of(List.of(List.of())), Dialect.PB)));
    assertThatThrownBy(shallow::read).isSameAs(BananaReader.Unsupported.INSTANCE);
    // A dict whose key is a list: the unjellier's TypeError, not ours.
    byte[] listKey = ByteString.fromHex(JellyCodec.encodeSexp(List.of(ByteString.ascii("dictionary"),
        List.of(List.of(ByteString.ascii("list")), 1)), Dialect.PB)).toByteArray();
    assertThat(fast(listKey, Dialect.PB)).isSameAs(DECLINED);
    assertThat(slow(listKey, Dialect.PB, new Unjellier(JellyRegistry.EMPTY, null)))
        .isInstanceOf(JellyException.class);
  }

  @SuppressWarnings("unchecked")
  @Test
  void invalidUtf8IsDeclinedAndRecurringKeysAreShared() {
    byte[] bad = ByteString.fromHex(JellyCodec.encodeSexp(
        List.of(ByteString.ascii("unicode"), ByteString.fromHex("c328")), Dialect.PB)).toByteArray();
    assertThat(fast(bad, Dialect.PB)).isSameAs(DECLINED);
    Map<Object, Object> a = new LinkedHashMap<>();
    a.put("n\u00e9", 1);
    a.put("key", 2);
    Map<Object, Object> b = new LinkedHashMap<>();
    b.put("n\u00e9", 3);
    b.put(4, 5); // a different key at the second position
    b.put("key", 6);
    byte[] bytes = jelly(List.of(a, a.keySet().iterator().next(), b, new LinkedHashMap<>(a)), Dialect.PB);
    List<Object> read = (List<Object>) fast(bytes, Dialect.PB);
    assertSameGraph(slow(bytes, Dialect.PB, new Unjellier(JellyRegistry.EMPTY, null)), read);
    Map<Object, Object> first = (Map<Object, Object>) read.get(0);
    Map<Object, Object> third = (Map<Object, Object>) read.get(2);
    Map<Object, Object> last = (Map<Object, Object>) read.get(3);
    assertThat(third.keySet()).containsExactly("n\u00e9", 4, "key");
    assertThat(last).isEqualTo(a);
    // Keys at the same position with the same bytes are one String (an int key in between does
    // not displace the text remembered there); text elsewhere is not shared.
    assertThat(keyAt(last, 0)).isSameAs(keyAt(first, 0)).isSameAs(keyAt(third, 0));
    assertThat(keyAt(last, 1)).isSameAs(keyAt(first, 1)).isNotSameAs(keyAt(third, 2));
    assertThat(read.get(1)).isEqualTo("n\u00e9").isNotSameAs(keyAt(first, 0));
  }

  /**
   * Keys matched against the remembered ones are added unsearched only while they are known to
   * differ: a key given twice still keeps one item, the last, whether the memory holds the same
   * key twice or changed (in a nested dict) between the first key and the second.
   */
  @Test
  void aKeyGivenTwiceKeepsOneItemWhateverTheKeyMemoryHolds() {
    byte[] xy = dict(item("x", 1), item("y", 2));
    byte[] xx = dict(item("x", 1), item("x", 2));
    // [x, y] remembered, then a nested dict leaves [z, x]: the outer second key matches x there.
    byte[] changedInBetween = dict(List.of(text("x"), dictSexp(item("z", 0), item("x", 0))), item("x", 5));
    for (byte[] bytes : List.of(xy, xx, xx, xy, changedInBetween, changedInBetween)) {
      assertThat(agree(bytes, Dialect.PB)).isTrue();
    }
    assertThat(fast(xx, Dialect.PB)).isEqualTo(Map.of("x", 2));
    assertThat(fast(xy, Dialect.PB)).isEqualTo(Map.of("x", 1, "y", 2));
    assertThat(fast(changedInBetween, Dialect.PB)).isEqualTo(Map.of("x", 5));
  }

  /**
   * The key memory is shared by the connections of a thread: a key one dialect accepts (a word
   * as a VOCAB token) is not taken from it by a connection in another, where it is invalid.
   */
  @Test
  void keysRememberedInOneDialectAreNotAcceptedInAnother() {
    byte[] bytes = ByteString.fromHex("0280" + "0a82" + ByteString.ascii("dictionary").hex()
        + "0280" + "0280" + "0782" + ByteString.ascii("unicode").hex() + "0d87" + "0181").toByteArray();
    assertThat(fast(bytes, Dialect.PB)).isEqualTo(Map.of("copy", 1));
    assertThat(fast(bytes, Dialect.NONE)).isSameAs(DECLINED);
    assertThat(slow(bytes, Dialect.NONE, new Unjellier(JellyRegistry.EMPTY, null)))
        .isInstanceOf(BananaException.class);
  }

  private static List<Object> text(String s) {
    return List.of(ByteString.ascii("unicode"), ByteString.ascii(s));
  }

  private static List<Object> item(String key, int value) {
    return List.of(text(key), value);
  }

  private static List<Object> dictSexp(List<?>... items) {
    List<Object> sexp = new ArrayList<>();
    sexp.add(ByteString.ascii("dictionary"));
    sexp.addAll(List.of(items));
    return sexp;
  }

  private static byte[] dict(List<?>... items) {
    return ByteString.fromHex(JellyCodec.encodeSexp(dictSexp(items), Dialect.PB)).toByteArray();
  }

  private static Object keyAt(Map<Object, Object> map, int index) {
    return new ArrayList<>(map.keySet()).get(index);
  }
}
