package io.github.pb4j.jelly;

import static io.github.pb4j.jelly.Sexps.b;
import static io.github.pb4j.jelly.Sexps.sexp;
import static io.github.pb4j.jelly.testing.JellyAssertions.assertSameGraph;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaException;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.testing.JellyCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Nesting depth in both directions, atomic jelly calls, Banana limits reached through Jelly. */
class JellyLimitsTest {
  private final JellyCodec codec = JellyCodec.plain();

  private static List<Object> nestedLists(int depth, Object innermost) {
    List<Object> root = new ArrayList<>();
    List<Object> current = root;
    for (int i = 1; i < depth; i++) {
      List<Object> next = new ArrayList<>();
      current.add(next);
      current = next;
    }
    current.add(innermost);
    return root;
  }

  /** The s-expression of {@code depth} nested jelly lists, built without recursion. */
  private static List<Object> nestedListSexp(int depth, Object innermost) {
    List<Object> root = sexp(b("list"));
    List<Object> current = root;
    for (int i = 1; i < depth; i++) {
      List<Object> next = sexp(b("list"));
      current.add(next);
      current = next;
    }
    current.add(innermost);
    return root;
  }

  @Test
  void jellyRefusesNesting2000DeepWithAJellyException() {
    List<Object> deep = nestedLists(2000, 1);
    assertThatThrownBy(() -> codec.jellyHex(deep, Dialect.PB))
        .isInstanceOf(JellyException.class)
        .hasMessageContaining("nesting depth")
        .extracting(e -> ((JellyException) e).twistedType())
        .isEqualTo("builtins.RecursionError");
  }

  @Test
  void unjellyRefusesNesting2000DeepWithAJellyException() {
    // Banana decodes any depth iteratively; the limit is Jelly's.
    String hex = JellyCodec.encodeSexp(nestedListSexp(2000, 1), Dialect.PB);
    Object sexp = JellyCodec.decodeSexp(hex, Dialect.PB);
    assertThatThrownBy(() -> codec.unjellier().unjelly(sexp))
        .isInstanceOf(JellyException.class)
        .hasMessageContaining("nesting depth");
  }

  @Test
  void deepDictsAndTuplesAreRefusedToo() {
    Map<Object, Object> root = new LinkedHashMap<>();
    Map<Object, Object> current = root;
    for (int i = 0; i < 2000; i++) {
      Map<Object, Object> next = new LinkedHashMap<>();
      current.put("k", next);
      current = next;
    }
    assertThatThrownBy(() -> codec.jellyHex(root, Dialect.PB)).isInstanceOf(JellyException.class);
    Object tuple = Tuple.of();
    for (int i = 0; i < 2000; i++) {
      tuple = Tuple.of(tuple);
    }
    Object deepTuple = tuple;
    assertThatThrownBy(() -> codec.jellyHex(deepTuple, Dialect.PB)).isInstanceOf(JellyException.class);
  }

  @Test
  @SuppressWarnings("unchecked")
  void valueAtTheDepthLimitRoundTrips() {
    // Whatever the jellier accepts the unjellier must accept, leaves (text, None) included.
    List<Object> leaves = new ArrayList<>(List.of(1, "text", true, new Unpersistable("x")));
    leaves.add(null);
    for (Object leaf : leaves) {
      List<Object> deep = nestedLists(Jellier.DEFAULT_MAX_DEPTH, leaf);
      assertSameGraph(deep, codec.roundTrip(deep, Dialect.PB));
    }
    for (Object leaf : List.of(Tuple.of(5), new ArrayList<>(), new LinkedHashMap<>())) {
      List<Object> deep = nestedLists(Jellier.DEFAULT_MAX_DEPTH - 1, leaf);
      assertSameGraph(deep, codec.roundTrip(deep, Dialect.PB));
    }
    // Shared containers: the reference wrappers do not count as levels either.
    List<Object> shared = new ArrayList<>(List.of("s"));
    List<Object> deep = nestedLists(Jellier.DEFAULT_MAX_DEPTH - 1, shared);
    List<Object> innermost = deep;
    while (innermost.get(0) != shared) {
      innermost = (List<Object>) innermost.get(0);
    }
    innermost.add(shared);
    assertSameGraph(deep, codec.roundTrip(deep, Dialect.PB));
  }

  @Test
  void smallerLimitsCanBeConfigured() {
    Jellier jellier = new Jellier(BananaEncoder.of(Dialect.PB), JellyRegistry.EMPTY, null, 3);
    ByteBuf buf = Unpooled.buffer();
    try {
      jellier.jelly(nestedLists(3, 1), buf);
      assertThatThrownBy(() -> jellier.jelly(nestedLists(4, 1), buf)).isInstanceOf(JellyException.class);
    } finally {
      buf.release();
    }
    Unjellier unjellier = new Unjellier(JellyRegistry.EMPTY, null, 3);
    assertThat(unjellier.unjelly(nestedListSexp(3, 1))).isNotNull();
    assertThatThrownBy(() -> unjellier.unjelly(nestedListSexp(4, 1))).isInstanceOf(JellyException.class);
  }

  @Test
  void failedJellyLeavesTheBufferUnchanged() {
    ByteBuf buf = Unpooled.buffer();
    try {
      buf.writeBytes(new byte[] {1, 2, 3});
      List<Object> shared = new ArrayList<>();
      List<Object> value = List.of(shared, shared, "ok", new Object());
      Jellier jellier = codec.jellier(Dialect.PB);
      assertThatThrownBy(() -> jellier.jelly(value, buf)).isInstanceOf(JellyException.class);
      assertThat(buf.readableBytes()).isEqualTo(3);
      assertThat(buf.getByte(2)).isEqualTo((byte) 3);
      // The jellier is usable again, with fresh reference ids.
      jellier.jelly(List.of(shared, shared), buf);
      assertThat(ByteString.of(bytes(buf)).hex()).isEqualTo("010203"
          + JellyCodec.encodeSexp(sexp(b("list"), sexp(b("reference"), 1, sexp(b("list"))),
              sexp(b("dereference"), 1)), Dialect.PB));
    } finally {
      buf.release();
    }
  }

  @Test
  void failedJellyAfterABananaLimitLeavesTheBufferUnchanged() {
    Jellier jellier = new Jellier(
        new BananaEncoder(Dialect.PB, BananaLimits.DEFAULT.withSizeLimit(16)), JellyRegistry.EMPTY, null);
    ByteBuf buf = Unpooled.buffer();
    try {
      assertThatThrownBy(() -> jellier.jelly(List.of(1, "longer than sixteen bytes"), buf))
          .isInstanceOf(BananaException.class)
          .hasMessageContaining("string length");
      assertThat(buf.readableBytes()).isZero();
      assertThatThrownBy(() -> jellier.jelly(java.util.Collections.nCopies(17, 1), buf))
          .isInstanceOf(BananaException.class)
          .hasMessageContaining("list length");
      assertThat(buf.readableBytes()).isZero();
    } finally {
      buf.release();
    }
  }

  @Test
  void jellyIsNotReentrant() {
    Jellier jellier = codec.jellier(Dialect.PB);
    assertThatThrownBy(() -> jellier.writeValue(1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not inside a jelly call");
    Unjellier unjellier = codec.unjellier();
    assertThatThrownBy(() -> unjellier.unjellyChild(1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not inside an unjelly call");
  }

  @Test
  void textWithALoneSurrogateIsRefusedNotCorrupted() {
    // Python cannot encode a lone surrogate either (UnicodeEncodeError); writing '?' instead
    // would silently change the value.
    for (String broken : List.of("a\uD800", "\uDC00b", "x\uDE00\uD83Dy")) {
      assertThatThrownBy(() -> codec.jellyHex(broken, Dialect.PB))
          .isInstanceOf(JellyException.class)
          .hasMessageContaining("surrogate");
      assertThatThrownBy(() -> codec.jellyHex(new Unpersistable(broken), Dialect.PB))
          .isInstanceOf(JellyException.class);
    }
    assertThat(codec.roundTrip("\uD83D\uDE00", Dialect.PB)).isEqualTo("\uD83D\uDE00");
  }

  private static byte[] bytes(ByteBuf buf) {
    byte[] bytes = new byte[buf.readableBytes()];
    buf.getBytes(buf.readerIndex(), bytes);
    return bytes;
  }
}
