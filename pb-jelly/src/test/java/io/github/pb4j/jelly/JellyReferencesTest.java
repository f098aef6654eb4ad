package io.github.pb4j.jelly;

import static io.github.pb4j.jelly.Sexps.b;
import static io.github.pb4j.jelly.Sexps.hex;
import static io.github.pb4j.jelly.Sexps.sexp;
import static io.github.pb4j.jelly.Sexps.unicode;
import static io.github.pb4j.jelly.testing.JellyAssertions.assertSameGraph;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.testing.JellyCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Shared and cyclic structure: Twisted's reference/dereference algorithm, {@code PB-PROTOCOL.md} §3.6. */
class JellyReferencesTest {
  public record Box(Object content) {}

  private final JellyCodec codec = JellyCodec.of(JellyRegistry.builder().registerRecord("test.Box", Box.class).build());

  private static List<Object> ref(int id, Object expr) {
    return sexp(b("reference"), id, expr);
  }

  private static List<Object> deref(int id) {
    return sexp(b("dereference"), id);
  }

  @Test
  void referenceIdsAreNumberedInOrderOfSecondEncounters() {
    List<Object> a = new ArrayList<>(List.of(1));
    List<Object> b = new ArrayList<>(List.of(2));
    List<Object> value = new ArrayList<>(List.of(b, a, a, b));
    assertThat(codec.jellyHex(value, Dialect.NONE)).isEqualTo(hex(sexp(b("list"),
        ref(2, sexp(b("list"), 2)), ref(1, sexp(b("list"), 1)), deref(1), deref(2))));
    List<?> back = (List<?>) codec.roundTrip(value, Dialect.PB);
    assertThat(back.get(0)).isSameAs(back.get(3)).isNotSameAs(back.get(1));
    assertThat(back.get(1)).isSameAs(back.get(2));
  }

  @Test
  void manySharedObjectsInOneCallAndTheCallsAfterIt() {
    // Enough tracked objects to grow the jellier's identity table past its kept size, twice.
    Jellier jellier = codec.jellier(Dialect.PB);
    for (int round = 0; round < 2; round++) {
      List<Object> shared = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        shared.add(new ArrayList<>(List.of(i)));
      }
      List<Object> value = new ArrayList<>(List.of(shared, new ArrayList<>(shared)));
      ByteBuf buf = Unpooled.buffer();
      jellier.jelly(value, buf);
      List<?> back = (List<?>) codec.unjellyHex(ByteString.of(io.netty.buffer.ByteBufUtil.getBytes(buf)).hex(), Dialect.PB);
      buf.release();
      List<?> first = (List<?>) back.get(0);
      List<?> second = (List<?>) back.get(1);
      assertThat(first).hasSize(20_000);
      for (int i = 0; i < first.size(); i += 997) {
        assertThat(second.get(i)).isSameAs(first.get(i)).isEqualTo(List.of(i));
      }
      // The next, small call starts with no memory of the big one.
      List<Object> small = new ArrayList<>(List.of(1));
      assertThat(codec.jellyHex(List.of(small, small), Dialect.NONE))
          .isEqualTo(hex(sexp(b("list"), ref(1, sexp(b("list"), 1)), deref(1))));
    }
  }

  @Test
  void equalDictKeysOfDifferentInstancesEncodeAlike() {
    // The jellier caches key encodings; distinct but equal keys, and keys sharing a cache slot,
    // must still give Twisted's bytes.
    Map<String, Object> a = new LinkedHashMap<>();
    Map<String, Object> b = new LinkedHashMap<>();
    List<Object> expected = new ArrayList<>(List.of(b("list")));
    List<Object> itemsA = new ArrayList<>(List.of(b("dictionary")));
    List<Object> itemsB = new ArrayList<>(List.of(b("dictionary")));
    for (int i = 0; i < 300; i++) {
      String key = "k" + i;
      a.put(key, i);
      b.put(new String(key.toCharArray()), -i);
      itemsA.add(sexp(unicode(key), i));
      itemsB.add(sexp(unicode(key), -i));
    }
    expected.add(itemsA);
    expected.add(itemsB);
    assertThat(codec.jellyHex(new ArrayList<>(List.of(a, b)), Dialect.NONE)).isEqualTo(hex(expected));
  }

  @Test
  void selfContainingListKeepsIdentity() {
    List<Object> x = new ArrayList<>();
    x.add(x);
    x.add(1);
    assertThat(codec.jellyHex(x, Dialect.NONE)).isEqualTo(hex(ref(1, sexp(b("list"), deref(1), 1))));
    List<?> back = (List<?>) codec.roundTrip(x, Dialect.PB);
    assertThat(back.get(0)).isSameAs(back);
    assertThat(back.get(1)).isEqualTo(1);
  }

  @Test
  void selfContainingDictKeepsIdentity() {
    Map<Object, Object> d = new LinkedHashMap<>();
    d.put("self", d);
    assertThat(codec.jellyHex(d, Dialect.NONE))
        .isEqualTo(hex(ref(1, sexp(b("dictionary"), sexp(unicode("self"), deref(1))))));
    Map<?, ?> back = (Map<?, ?>) codec.roundTrip(d, Dialect.PB);
    assertThat(back.get("self")).isSameAs(back);
  }

  @Test
  void cycleThroughATupleKeepsIdentity() {
    List<Object> r = new ArrayList<>();
    Map<Object, Object> inner = new LinkedHashMap<>();
    inner.put("list", r);
    Tuple t = Tuple.of(inner, r);
    r.add(t);
    Tuple back = (Tuple) codec.roundTrip(t, Dialect.PB);
    List<?> backR = (List<?>) back.get(1);
    assertThat(((Map<?, ?>) back.get(0)).get("list")).isSameAs(backR);
    assertThat(backR.get(0)).isSameAs(back);
    assertSameGraph(t, back);
  }

  @Test
  void sharedTupleIsSentOnce() {
    Tuple t = Tuple.of(1, 2);
    List<Object> value = List.of(t, t);
    assertThat(codec.jellyHex(value, Dialect.NONE))
        .isEqualTo(hex(sexp(b("list"), ref(1, sexp(b("tuple"), 1, 2)), deref(1))));
    List<?> back = (List<?>) codec.roundTrip(value, Dialect.PB);
    assertThat(back.get(0)).isSameAs(back.get(1));
  }

  @Test
  void emptyTupleIsOneObjectAsInPython() {
    // CPython's () is a singleton, so Twisted sends [(), ()] with a reference; so do we.
    List<Object> value = List.of(Tuple.of(), Tuple.of());
    assertThat(codec.jellyHex(value, Dialect.NONE))
        .isEqualTo(hex(sexp(b("list"), ref(1, sexp(b("tuple"))), deref(1))));
  }

  @Test
  void distinctEmptyFrozenSetsStayDistinct() {
    // frozenset() is not a singleton in CPython 3.11: Twisted sends two separate expressions,
    // and a value received that way must go back out the same way.
    List<Object> value = List.of(FrozenSet.of(), FrozenSet.copyOf(List.of()));
    String expected = hex(sexp(b("list"), sexp(b("frozenset")), sexp(b("frozenset"))));
    assertThat(codec.jellyHex(value, Dialect.NONE)).isEqualTo(expected);
    Object received = codec.unjellyHex(expected, Dialect.NONE);
    assertThat(codec.jellyHex(received, Dialect.NONE)).isEqualTo(expected);
  }

  @Test
  void sharedSetDictAndFrozenSetAreTracked() {
    Set<Object> s = new LinkedHashSet<>(List.of(1));
    Map<Object, Object> d = new LinkedHashMap<>();
    FrozenSet f = FrozenSet.of(2);
    List<Object> value = List.of(s, d, f, f, d, s);
    assertThat(codec.jellyHex(value, Dialect.NONE)).isEqualTo(hex(sexp(b("list"),
        ref(3, sexp(b("set"), 1)), ref(2, sexp(b("dictionary"))), ref(1, sexp(b("frozenset"), 2)),
        deref(1), deref(2), deref(3))));
    assertSameGraph(value, codec.roundTrip(value, Dialect.PB));
  }

  @Test
  void sharedTupleAsDictKeyAndValue() {
    Tuple key = Tuple.of("k", 1);
    Map<Object, Object> d = new LinkedHashMap<>();
    d.put(key, key);
    Map<?, ?> back = (Map<?, ?>) codec.roundTrip(d, Dialect.PB);
    Object backKey = back.keySet().iterator().next();
    assertThat(back.get(backKey)).isSameAs(backKey);
  }

  @Test
  void sharedCopyableIsSentOnceAndArrivesOnce() {
    Box box = new Box(List.of(1));
    List<Object> value = List.of(box, box);
    assertThat(codec.jellyHex(value, Dialect.NONE)).isEqualTo(hex(sexp(b("list"),
        ref(1, sexp(b("test.Box"), sexp(b("dictionary"), sexp(unicode("content"), sexp(b("list"), 1))))),
        deref(1))));
    List<?> back = (List<?>) codec.roundTrip(value, Dialect.PB);
    assertThat(back.get(0)).isEqualTo(box).isSameAs(back.get(1));
  }

  @Test
  void equalButDistinctContainersAreNotMerged() {
    List<Object> value = List.of(new ArrayList<>(List.of(1)), new ArrayList<>(List.of(1)));
    assertThat(codec.jellyHex(value, Dialect.NONE))
        .isEqualTo(hex(sexp(b("list"), sexp(b("list"), 1), sexp(b("list"), 1))));
  }

  @Test
  void atomsAndTextAreNeverTracked() {
    String s = "shared-string";
    ByteString bytes = ByteString.ascii("raw");
    Long big = 1L << 40;
    List<Object> value = List.of(s, s, bytes, bytes, big, big);
    assertThat(codec.jellyHex(value, Dialect.NONE)).doesNotContain(ByteString.ascii("reference").hex());
  }

  @Test
  void referenceIdsStartAtOneInEveryJellyCall() {
    List<Object> a = new ArrayList<>();
    List<Object> value = List.of(a, a);
    Jellier jellier = codec.jellier(Dialect.NONE);
    ByteBuf first = Unpooled.buffer();
    ByteBuf second = Unpooled.buffer();
    try {
      jellier.jelly(value, first);
      jellier.jelly(value, second);
      assertThat(second).isEqualTo(first);
      assertThat(ByteString.of(bytesOf(second)).hex())
          .isEqualTo(hex(sexp(b("list"), ref(1, sexp(b("list"))), deref(1))));
    } finally {
      first.release();
      second.release();
    }
  }

  @Test
  void referenceIdsAreScopedToOneUnjellyCall() {
    Unjellier unjellier = codec.unjellier();
    Object first = unjellier.unjelly(sexp(b("list"), ref(1, sexp(b("list"))), deref(1)));
    Object second = unjellier.unjelly(sexp(b("list"), ref(1, sexp(b("list"))), deref(1)));
    assertThat(((List<?>) second).get(0)).isNotSameAs(((List<?>) first).get(0));
  }

  @Test
  void sharedStructureAppendedAfterOtherBytesIsSplicedAtTheRightOffsets() {
    // The wrapper goes in retroactively; bytes already in the buffer must not move.
    List<Object> a = new ArrayList<>(List.of("x"));
    ByteBuf buf = Unpooled.buffer();
    try {
      BananaEncoder.of(Dialect.NONE).writeInt(buf, 77);
      codec.jellier(Dialect.NONE).jelly(List.of(a, List.of(a)), buf);
      assertThat(ByteString.of(bytesOf(buf)).hex()).isEqualTo("4d81" + hex(sexp(b("list"),
          ref(1, sexp(b("list"), unicode("x"))), sexp(b("list"), deref(1)))));
    } finally {
      buf.release();
    }
  }

  private static byte[] bytesOf(ByteBuf buf) {
    byte[] bytes = new byte[buf.readableBytes()];
    buf.getBytes(buf.readerIndex(), bytes);
    return bytes;
  }
}
