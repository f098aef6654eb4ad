package io.github.pb4j.jelly;

import static io.github.pb4j.jelly.testing.JellyAssertions.assertSameGraph;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.FlavourExtension.CachedRef;
import io.github.pb4j.jelly.FlavourExtension.LcacheRef;
import io.github.pb4j.jelly.FlavourExtension.LocalRef;
import io.github.pb4j.jelly.FlavourExtension.RemoteRef;
import io.github.pb4j.jelly.VectorFixtures.FailureCopy;
import io.github.pb4j.jelly.VectorFixtures.Node;
import io.github.pb4j.jelly.VectorFixtures.Point;
import io.github.pb4j.jelly.VectorFixtures.TaggedPoint;
import io.github.pb4j.jelly.VectorFixtures.Thing;
import io.github.pb4j.jelly.VectorFixtures.Unregistered;
import io.github.pb4j.jelly.testing.JellyCodec;
import io.github.pb4j.jelly.testing.JellyPythonValues;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record of {@code vectors/jelly.json} (made by real Twisted 22.4, see {@code
 * vectors/README-vectors.md}), one case per record.
 *
 * <ul>
 *   <li>{@code roundtrip}: the Java value jellies to Twisted's bytes exactly, in both dialects,
 *       and those bytes unjelly to the same graph; where Twisted's PB unjellier rejects the bytes,
 *       ours does too, with Twisted's message.
 *   <li>{@code send_error}: the Java counterpart of the unsendable value is refused.
 *   <li>{@code decode}: hand-made expressions give what Twisted gives, except where pb4j is
 *       deliberately stricter (said at each case).
 * </ul>
 */
class JellyVectorsTest {
  private static final JellyCodec CODEC = JellyCodec.of(VectorFixtures.registry(), VectorFixtures.extension());
  /** A receiver that registers nothing: what Twisted's PB has for unregistered names. */
  private static final JellyCodec UNREGISTERED = JellyCodec.of(JellyRegistry.EMPTY, VectorFixtures.extension());

  static List<JsonNode> load() throws IOException {
    try (InputStream in = JellyVectorsTest.class.getResourceAsStream("/vectors/jelly.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      return StreamSupport.stream(root.spliterator(), false).toList();
    }
  }

  static Stream<Named<JsonNode>> vectors() throws IOException {
    return load().stream().map(v -> Named.of(v.get("name").asText(), v));
  }

  @Test
  void vectorFileIsTheFullSet() throws IOException {
    List<JsonNode> all = load();
    assertThat(all).hasSize(126);
    assertThat(all.stream().map(v -> v.get("kind").asText()).distinct())
        .containsExactlyInAnyOrder("roundtrip", "send_error", "decode");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vector(JsonNode v) {
    switch (v.get("kind").asText()) {
      case "roundtrip" -> roundtrip(v);
      case "send_error" -> sendError(v.get("name").asText());
      case "decode" -> decode(v);
      default -> throw new AssertionError("unknown kind " + v.get("kind"));
    }
  }

  // ------------------------------------------------------------------------------- roundtrip

  private static void roundtrip(JsonNode v) {
    String name = v.get("name").asText();
    String hex = v.get("hex").asText();
    String hexNone = v.get("hex_none_dialect").asText();
    if (v.get("pb_unjelly").asText().equals("rejected")) {
      roundtripRejected(name, hex, hexNone, v.get("error").asText());
      return;
    }
    Case c = caseFor(name, v.get("python_repr").asText());
    assertThat(CODEC.jellyHex(c.value, Dialect.PB)).as("pb dialect bytes").isEqualTo(hex);
    assertThat(CODEC.jellyHex(c.value, Dialect.NONE)).as("none dialect bytes").isEqualTo(hexNone);
    if (name.equals("copyable_cycle")) {
      // Deliberate difference: a copyable is built from its finished state, so a back-reference
      // from inside that state to the copyable itself cannot be resolved. Twisted cannot either
      // (it leaves a placeholder object in the state, see the vector's note); we refuse instead.
      for (String h : List.of(hex, hexNone)) {
        Dialect d = h.equals(hex) ? Dialect.PB : Dialect.NONE;
        assertThatThrownBy(() -> CODEC.unjellyHex(h, d))
            .isInstanceOf(JellyException.class)
            .hasMessageContaining("dereference");
      }
      return;
    }
    assertSameGraph(c.decoded, CODEC.unjellyHex(hex, Dialect.PB));
    assertSameGraph(c.decoded, CODEC.unjellyHex(hexNone, Dialect.NONE));
    if (c.value instanceof Double) {
      // Floats by their exact bits, NaN included: FLOAT is 0x84 and 8 big-endian bytes.
      Double decoded = (Double) CODEC.unjellyHex(hex, Dialect.PB);
      assertThat(Double.doubleToRawLongBits(decoded)).isEqualTo(Long.parseUnsignedLong(hex.substring(2), 16));
    }
    if (c.parsed) {
      // For plain data, PythonRepr of our result reads as Python's repr of Twisted's result.
      assertThat(PythonRepr.of(CODEC.unjellyHex(hex, Dialect.PB))).isEqualTo(v.get("result_repr").asText());
    }
  }

  private static void roundtripRejected(String name, String hex, String hexNone, String error) {
    switch (name) {
      case "class" ->
          // A Java Class object is not a Jelly value: pb4j never sends ['class', ...].
          assertThatThrownBy(() -> CODEC.jellyHex(Thing.class, Dialect.PB))
              .isInstanceOf(JellyException.class)
              .hasMessageContaining("cannot jelly java.lang.Class");
      case "copyable_unregistered" -> {
        Unregistered value = new Unregistered(1);
        assertThat(CODEC.jellyHex(value, Dialect.PB)).isEqualTo(hex);
        assertThat(CODEC.jellyHex(value, Dialect.NONE)).isEqualTo(hexNone);
      }
      default -> throw new AssertionError("no rejected roundtrip case for " + name);
    }
    assertRejected(UNREGISTERED, hex, hexNone, error);
  }

  /** The Java value to jelly and the value its bytes unjelly to (usually the same). */
  private record Case(@Nullable Object value, @Nullable Object decoded, boolean parsed) {
    static Case same(@Nullable Object value) {
      return new Case(value, value, false);
    }
  }

  private static Case caseFor(String name, String pythonRepr) {
    switch (name) {
      case "shared_list": {
        List<Object> a = new ArrayList<>(List.of(1));
        return Case.same(new ArrayList<>(List.of(a, a)));
      }
      case "cyclic_list": {
        List<Object> x = new ArrayList<>();
        x.add(x);
        return Case.same(x);
      }
      case "cyclic_list_twice": {
        List<Object> x = new ArrayList<>();
        x.add(x);
        x.add(x);
        return Case.same(x);
      }
      case "ref_id_order": {
        List<Object> a = new ArrayList<>(List.of(1));
        List<Object> b = new ArrayList<>(List.of(2));
        return Case.same(new ArrayList<>(List.of(b, a, a, b)));
      }
      case "shared_tuple": {
        Tuple t = Tuple.of(1, 2);
        return Case.same(new ArrayList<>(List.of(t, t)));
      }
      case "shared_dict": {
        Map<Object, Object> d = new LinkedHashMap<>();
        return Case.same(new ArrayList<>(List.of(d, d, d)));
      }
      case "cyclic_dict": {
        Map<Object, Object> d = new LinkedHashMap<>();
        d.put("self", d);
        return Case.same(d);
      }
      case "cyclic_through_tuple": {
        List<Object> r = new ArrayList<>();
        Map<Object, Object> inner = new LinkedHashMap<>();
        inner.put("list", r);
        Tuple t = Tuple.of(inner, r);
        r.add(t);
        return Case.same(t);
      }
      case "shared_str_not_tracked": {
        String s = "shared-string";
        return Case.same(new ArrayList<>(List.of(s, s)));
      }
      case "shared_set": {
        Set<Object> s = new LinkedHashSet<>(List.of(Tuple.of(1, 2)));
        return Case.same(new ArrayList<>(List.of(s, s)));
      }
      case "referenceable", "referenceable_again":
        return Case.same(new RemoteRef(1));
      case "referenceable_twice_in_one_message": {
        // The same Java object twice, yet two ['remote', 1] expressions: never reference-tracked.
        RemoteRef thing = new RemoteRef(1);
        return new Case(new ArrayList<>(List.of(thing, thing)),
            new ArrayList<>(List.of(new RemoteRef(1), new RemoteRef(1))), false);
      }
      case "viewable":
        return Case.same(new RemoteRef(2));
      case "copyable":
        return Case.same(new Point(1, 2));
      case "copyable_custom_tag":
        return Case.same(new TaggedPoint(3, 4));
      case "copyable_cycle": {
        Node n1 = new Node("n1");
        Node n2 = new Node("n2");
        n1.peer = n2;
        n2.peer = n1;
        return new Case(n1, null, false);
      }
      case "cacheable_first":
        return Case.same(VectorFixtures.counter());
      case "cacheable_again":
        return new Case(new CachedRef(VectorFixtures.CACHED_COUNTER_LUID), VectorFixtures.counter(), false);
      case "plain_instance":
        return Case.same(new Unpersistable("instance of class pbvec_classes.Plain deemed insecure"));
      case "remote_reference_sent_back":
        return new Case(new LocalRef(VectorFixtures.LOCAL_THING_LUID), new Thing("thing"), false);
      case "remote_cache_sent_back":
        return new Case(new LcacheRef(VectorFixtures.LOCAL_COUNTER_LUID), new Thing("counter"), false);
      case "copyable_failure":
        return Case.same(new FailureCopy(VectorFixtures.failureState()));
      default: {
        Object value = JellyPythonValues.parse(pythonRepr);
        return new Case(value, value, true);
      }
    }
  }

  // ------------------------------------------------------------------------------ send_error

  private static void sendError(String name) {
    switch (name) {
      case "datetime_tz" -> {
        // Only naive date/times are in the data model; aware ones are refused, not silently
        // stripped of their offset.
        for (Object aware : List.of(
            OffsetDateTime.of(2020, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
            ZonedDateTime.of(LocalDateTime.of(2020, 1, 1, 0, 0), ZoneOffset.UTC),
            OffsetTime.of(1, 2, 3, 0, ZoneOffset.UTC))) {
          assertRefusedOnSend(aware);
        }
      }
      case "decimal_nan", "decimal_inf" -> {
        // BigDecimal has no NaN or infinity, so pb4j cannot even hold the value Twisted fails on.
        assertThatThrownBy(() -> new BigDecimal(name.equals("decimal_nan") ? "NaN" : "Infinity"))
            .isInstanceOf(NumberFormatException.class);
        // The nearest Java value is a double, which is a float on the wire, never a decimal.
        assertThat(CODEC.jellyHex(Double.NaN, Dialect.PB)).isEqualTo("847ff8000000000000");
      }
      case "function" -> assertRefusedOnSend((Runnable) () -> { });
      case "module" -> assertRefusedOnSend(Object.class.getModule());
      case "bound_method" -> {
        try {
          assertRefusedOnSend(String.class.getMethod("length"));
        } catch (NoSuchMethodException e) {
          throw new AssertionError(e);
        }
      }
      default -> throw new AssertionError("no send_error case for " + name);
    }
  }

  private static void assertRefusedOnSend(Object value) {
    for (Dialect d : Dialect.values()) {
      assertThatThrownBy(() -> CODEC.jellyHex(value, d))
          .isInstanceOf(JellyException.class)
          .hasMessageStartingWith("cannot jelly " + value.getClass().getName());
    }
  }

  // ---------------------------------------------------------------------------------- decode

  private static void decode(JsonNode v) {
    String name = v.get("name").asText();
    String hex = v.get("hex").asText();
    String hexNone = v.get("hex_none_dialect").asText();
    boolean twistedAccepts = v.get("pb_unjelly").asText().equals("ok");
    switch (name) {
      case "dict_pair_bytes_key" -> assertDecodes(hex, hexNone, map(ByteString.ascii("k"), 1));
      case "forward_dereference", "dangling_dereference" -> {
        // Deliberate difference: Twisted resolves a dereference that comes before its reference
        // by back-patching, and returns an internal placeholder object for an id never defined.
        // Twisted's jellier never produces either, and a placeholder in application data is
        // worse than an error, so pb4j refuses both.
        assertThat(twistedAccepts).isTrue();
        assertFails(hex, hexNone, JellyException.class, "not defined");
      }
      case "duplicate_reference_id" -> {
        // Twisted fails too (AssertionError: Multiple references with same ID!).
        assertThat(twistedAccepts).isFalse();
        assertFails(hex, hexNone, JellyException.class, "defined twice");
        assertTwistedType(hex, "builtins.AssertionError");
      }
      case "tuple_as_args" -> assertDecodes(hex, hexNone, Tuple.of(1, "x"));
      case "unicode_invalid_utf8", "boolean_bad_value", "datetime_bad" -> {
        assertThat(twistedAccepts).isFalse();
        assertRejected(CODEC, hex, hexNone, v.get("error").asText());
      }
      case "datetime_three_fields" -> assertDecodes(hex, hexNone, LocalDateTime.of(2020, 7, 11, 0, 0));
      case "decimal_handmade" -> assertDecodes(hex, hexNone, new BigDecimal("-78.901"));
      case "unpersistable" ->
          // Twisted's marker reads "Unpersistable data: b'some reason'"; ours keeps the sender's
          // reason as is, so that sending the marker on reproduces the same bytes.
          assertDecodes(hex, hexNone, new Unpersistable("some reason"));
      case "persistent" -> assertDecodes(hex, hexNone, new Unpersistable("Persistent callback not found"));
      case "local_unknown_luid" -> {
        // Twisted: an unknown luid in 'local' silently becomes None; our test extension mimics it.
        assertDecodes(hex, hexNone, null);
        assertRejectedInsecure(JellyCodec.plain(), hex, "b'local'");
      }
      case "remote_arbitrary_luid" -> {
        assertDecodes(hex, hexNone, new RemoteRef(42));
        // Without a broker's extension, flavours are refused like any unknown tag.
        assertRejectedInsecure(JellyCodec.plain(), hex, "b'remote'");
      }
      case "cached_unknown", "lcache_unknown" -> {
        assertThat(twistedAccepts).isFalse();
        assertRejected(CODEC, hex, hexNone, v.get("error").asText());
      }
      case "class_rejected", "module_rejected", "function_rejected", "instance_rejected",
          "method_rejected", "dotted_unregistered_type", "alias_dict_rejected", "unknown_tag" -> {
        assertThat(twistedAccepts).isFalse();
        assertRejected(CODEC, hex, hexNone, v.get("error").asText());
      }
      case "copied_failure_minimal" -> {
        Map<Object, Object> state = new LinkedHashMap<>();
        state.put("type", ByteString.ascii("my.app.Oops"));
        state.put("value", "it broke");
        state.put("traceback", "Traceback unavailable\n");
        state.put("parents", new ArrayList<>(List.of("my.app.Oops")));
        assertDecodes(hex, hexNone, new FailureCopy(state));
        // Unregistered, the failure type is refused with Twisted's message for a dotted name.
        assertRejectedInsecure(UNREGISTERED, hex,
            "Module twisted.spread.pb not allowed (in type twisted.spread.pb.CopyableFailure).");
      }
      default -> throw new AssertionError("no decode case for " + name);
    }
  }

  private static Map<Object, Object> map(Object key, Object value) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(key, value);
    return m;
  }

  private static void assertDecodes(String hex, String hexNone, @Nullable Object expected) {
    assertSameGraph(expected, CODEC.unjellyHex(hex, Dialect.PB));
    assertSameGraph(expected, CODEC.unjellyHex(hexNone, Dialect.NONE));
  }

  private static void assertFails(String hex, String hexNone, Class<? extends Throwable> type, String message) {
    assertThatThrownBy(() -> CODEC.unjellyHex(hex, Dialect.PB)).isInstanceOf(type).hasMessageContaining(message);
    assertThatThrownBy(() -> CODEC.unjellyHex(hexNone, Dialect.NONE)).isInstanceOf(type).hasMessageContaining(message);
  }

  private static void assertTwistedType(String hex, String twistedType) {
    JellyException e = catchThrowableOfType(JellyException.class, () -> CODEC.unjellyHex(hex, Dialect.PB));
    assertThat(e.twistedType()).isEqualTo(twistedType);
  }

  /**
   * Asserts the outcome Twisted had: an InsecureJelly with Twisted's exact message, or another
   * failure reported to a Twisted peer as the same Python exception type.
   */
  private static void assertRejected(JellyCodec codec, String hex, String hexNone, String twistedError) {
    int colon = twistedError.indexOf(": ");
    String type = colon < 0 ? twistedError.replace(":", "") : twistedError.substring(0, colon);
    String message = colon < 0 ? "" : twistedError.substring(colon + 2);
    for (String h : List.of(hex, hexNone)) {
      Dialect d = h.equals(hex) ? Dialect.PB : Dialect.NONE;
      JellyException e = catchThrowableOfType(JellyException.class, () -> codec.unjellyHex(h, d));
      assertThat(e).as("unjelly must fail").isNotNull();
      if (type.equals("InsecureJelly")) {
        assertThat(e).isInstanceOf(InsecureJellyException.class).hasMessage(message);
        assertThat(e.twistedType()).isEqualTo("twisted.spread.jelly.InsecureJelly");
      } else {
        assertThat(e).isNotInstanceOf(InsecureJellyException.class);
        assertThat(e.twistedType()).isEqualTo("builtins." + type);
      }
    }
  }

  private static void assertRejectedInsecure(JellyCodec codec, String hex, String message) {
    assertThatThrownBy(() -> codec.unjellyHex(hex, Dialect.PB))
        .isInstanceOf(InsecureJellyException.class)
        .hasMessage(message);
  }
}
