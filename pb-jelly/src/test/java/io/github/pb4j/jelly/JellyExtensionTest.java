package io.github.pb4j.jelly;

import static io.github.pb4j.jelly.Sexps.b;
import static io.github.pb4j.jelly.Sexps.hex;
import static io.github.pb4j.jelly.Sexps.sexp;
import static io.github.pb4j.jelly.Sexps.unicode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.FlavourExtension.CacheCopy;
import io.github.pb4j.jelly.FlavourExtension.RemoteRef;
import io.github.pb4j.jelly.testing.JellyCodec;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The {@link JellyExtension} hook through which the Broker sends and receives PB flavours. */
class JellyExtensionTest {
  public record Point(int x, int y) {}

  private final JellyCodec codec = JellyCodec.of(
      JellyRegistry.builder().registerRecord("pbvec_classes.Point", Point.class).build(), new FlavourExtension());

  @Test
  void flavoursAreNeverReferenceTracked() {
    RemoteRef thing = new RemoteRef(7);
    assertThat(codec.jellyHex(List.of(thing, thing), Dialect.NONE)).isEqualTo(hex(sexp(b("list"),
        sexp(b("remote"), 7), sexp(b("remote"), 7))));
  }

  @Test
  void extensionObjectsCanTakePartInReferenceTracking() {
    Map<String, Object> state = new LinkedHashMap<>(Map.of("value", 7));
    CacheCopy counter = new CacheCopy("pbvec_classes.Counter", 3, state);
    List<Object> value = List.of(counter, counter);
    assertThat(codec.jellyHex(value, Dialect.NONE)).isEqualTo(hex(sexp(b("list"),
        sexp(b("reference"), 1, sexp(b("pbvec_classes.Counter"), 3, sexp(b("dictionary"), sexp(unicode("value"), 7)))),
        sexp(b("dereference"), 1))));
    List<?> back = (List<?>) codec.roundTrip(value, Dialect.PB);
    assertThat(back.get(0)).isEqualTo(counter).isSameAs(back.get(1));
  }

  @Test
  void typeNamesGoToTheExtensionFirstThenToTheRegistry() {
    Object cache = codec.unjellier().unjelly(sexp(b("pbvec_classes.Counter"), 3, sexp(b("None"))));
    assertThat(cache).isEqualTo(new CacheCopy("pbvec_classes.Counter", 3, null));
    Object point = codec.unjellier().unjelly(sexp(b("pbvec_classes.Point"),
        sexp(b("dictionary"), sexp(unicode("x"), 1), sexp(unicode("y"), 2))));
    assertThat(point).isEqualTo(new Point(1, 2));
  }

  @Test
  void extensionFailureIsTheUnjellyFailure() {
    assertThatThrownBy(() -> codec.unjellier().unjelly(sexp(b("list"), sexp(b("cached"), 99))))
        .isInstanceOf(JellyException.class)
        .hasMessageContaining("99");
  }

  @Test
  void extensionMayReturnNull() {
    // Twisted: an unknown luid in ['local', n] is None.
    @SuppressWarnings("unchecked")
    List<Object> back = (List<Object>) codec.unjellier().unjelly(sexp(b("list"), sexp(b("local"), 999), 1));
    assertThat(back).containsExactly(null, 1);
  }

  @Test
  void extensionResultCanBeReferenced() {
    List<?> back = (List<?>) codec.unjellier().unjelly(sexp(b("list"),
        sexp(b("reference"), 1, sexp(b("remote"), 4)), sexp(b("dereference"), 1)));
    assertThat(back.get(0)).isEqualTo(new RemoteRef(4)).isSameAs(back.get(1));
  }

  @Test
  void extensionCannotTakeOverAFlavourTagItDoesNotHandle() {
    JellyExtension declines = new JellyExtension() {
      @Override
      public boolean jelly(Object value, Jellier jellier) {
        return false;
      }

      @Override
      public @Nullable Object unjelly(ByteString tag, List<?> expression, Unjellier unjellier) {
        return NOT_HANDLED;
      }
    };
    JellyCodec c = JellyCodec.of(JellyRegistry.EMPTY, declines);
    assertThatThrownBy(() -> c.unjellier().unjelly(sexp(b("remote"), 1)))
        .isInstanceOf(InsecureJellyException.class).hasMessage("b'remote'");
    assertThatThrownBy(() -> c.unjellier().unjelly(sexp(b("x.Y"), 1)))
        .isInstanceOf(InsecureJellyException.class).hasMessage("Module x not allowed (in type x.Y).");
    assertThatThrownBy(() -> c.jellyHex(new Object(), Dialect.PB))
        .isInstanceOf(JellyException.class).hasMessageContaining("cannot jelly java.lang.Object");
  }

  @Test
  void extensionWritesInsideTheCurrentCallOnly() {
    // An extension that tries to start a nested jelly call is stopped.
    JellyExtension nested = new JellyExtension() {
      @Override
      public boolean jelly(Object value, Jellier jellier) {
        jellier.jelly(1, Unpooled.buffer());
        return true;
      }

      @Override
      public @Nullable Object unjelly(ByteString tag, List<?> expression, Unjellier unjellier) {
        return unjellier.unjelly(1);
      }
    };
    JellyCodec c = JellyCodec.of(JellyRegistry.EMPTY, nested);
    assertThatThrownBy(() -> c.jellyHex(new Object(), Dialect.PB))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already in progress");
    assertThatThrownBy(() -> c.unjellier().unjelly(sexp(b("x.Y"))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already in progress");
  }

  @Test
  void extensionChildrenCountTowardsTheDepthLimit() {
    Object inner = 1;
    for (int i = 0; i < 1500; i++) {
      inner = sexp(b("pbvec_classes.Counter"), 1, inner);
    }
    Object deep = inner;
    assertThatThrownBy(() -> codec.unjellier().unjelly(deep))
        .isInstanceOf(JellyException.class).hasMessageContaining("nesting depth");
    List<Object> ok = new ArrayList<>();
    ok.add(new CacheCopy("pbvec_classes.Counter", 1, null));
    assertThat(codec.roundTrip(ok, Dialect.PB)).isEqualTo(ok);
  }
}
