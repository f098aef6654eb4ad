package io.github.pb4j.jelly;

import static io.github.pb4j.jelly.Sexps.b;
import static io.github.pb4j.jelly.Sexps.hex;
import static io.github.pb4j.jelly.Sexps.sexp;
import static io.github.pb4j.jelly.Sexps.unicode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.testing.JellyCodec;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Copyable types through {@link JellyRegistry}: records, explicit conversions, refusals. */
class JellyRegistryTest {
  public record Point(int x, int y) {}

  public record Reading(double value, long at, String unit, ByteString raw, List<Integer> samples,
      Map<String, Tuple> tags, Set<String> flags, Point origin) {}

  public record Boxed(Integer count, Double ratio, Boolean flag, Object anything) {}

  public record Letters(char first, float ratio, short small, byte tiny, byte[] data) {}

  public record Checked(int positive) {
    public Checked {
      if (positive <= 0) {
        throw new IllegalArgumentException("positive: " + positive + " (expected: > 0)");
      }
    }
  }

  record Hidden(int x) {}

  /** A class hierarchy: the base's registration sends subclasses too. */
  public static class Shape {
    final String name;

    Shape(String name) {
      this.name = name;
    }
  }

  public static final class Circle extends Shape {
    Circle() {
      super("circle");
    }
  }

  private final JellyRegistry registry = JellyRegistry.builder()
      .registerRecord("geo.Point", Point.class)
      .registerRecord("sensors.Reading", Reading.class)
      .registerRecord("test.Boxed", Boxed.class)
      .registerRecord("test.Letters", Letters.class)
      .registerRecord("test.Checked", Checked.class)
      .registerSender("test.Shape", Shape.class, s -> Map.of("name", s.name))
      .build();
  private final JellyCodec codec = JellyCodec.of(registry);

  private static List<Object> dict(List<?>... pairs) {
    List<Object> d = sexp(b("dictionary"));
    d.addAll(List.of(pairs));
    return d;
  }

  @Test
  void recordIsSentAsTypeNameAndAttributeDict() {
    assertThat(codec.jellyHex(new Point(1, 2), Dialect.NONE)).isEqualTo(hex(sexp(b("geo.Point"),
        dict(sexp(unicode("x"), 1), sexp(unicode("y"), 2)))));
  }

  @Test
  void recordRoundTripsWithEveryComponentTypeChecked() {
    Reading reading = new Reading(21.5, 1L << 40, "C", ByteString.ascii("\u0001\u0002"), List.of(1, 2),
        Map.of("k", Tuple.of(1, "v")), Set.of("hot"), new Point(0, -1));
    assertThat(codec.roundTrip(reading, Dialect.PB)).isEqualTo(reading);
  }

  @Test
  void recordReceivedFromPythonStateIsCoerced() {
    // Python sends ints where a float is meant, small ints for longs, and its dicts have str keys.
    Object state = dict(
        sexp(unicode("value"), 21),
        sexp(unicode("at"), 5),
        sexp(unicode("unit"), unicode("C")),
        sexp(unicode("raw"), b("xy")),
        sexp(unicode("samples"), sexp(b("list"), 1, 2)),
        sexp(unicode("tags"), dict()),
        sexp(unicode("flags"), sexp(b("frozenset"), unicode("hot"))),
        sexp(unicode("origin"), sexp(b("geo.Point"), dict(sexp(unicode("x"), 3), sexp(unicode("y"), 4)))));
    Reading r = (Reading) codec.unjellier().unjelly(sexp(b("sensors.Reading"), state));
    assertThat(r.value()).isEqualTo(21.0);
    assertThat(r.at()).isEqualTo(5L);
    assertThat(r.raw()).isEqualTo(ByteString.ascii("xy"));
    assertThat(r.flags()).isInstanceOf(FrozenSet.class).containsExactly("hot");
    assertThat(r.origin()).isEqualTo(new Point(3, 4));
  }

  @Test
  void bytesKeysOfTheStateDictAreAcceptedAsNames() {
    // Twisted's RemoteCopy accepts a state dict with bytes keys, converting them to str.
    Object point = codec.unjellier().unjelly(sexp(b("geo.Point"), dict(sexp(b("x"), 1), sexp(b("y"), 2))));
    assertThat(point).isEqualTo(new Point(1, 2));
  }

  @Test
  void missingKeyBecomesNullForReferenceComponents() {
    Object boxed = codec.unjellier().unjelly(sexp(b("test.Boxed"), dict()));
    assertThat(boxed).isEqualTo(new Boxed(null, null, null, null));
  }

  @Test
  void missingKeyForPrimitiveComponentIsATypeMismatch() {
    assertThatThrownBy(() -> codec.unjellier().unjelly(sexp(b("geo.Point"), dict(sexp(unicode("x"), 1)))))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessage("y: NoneType None (expected: int in the range of int)");
  }

  @Test
  void wrongComponentTypeIsATypeMismatch() {
    assertThatThrownBy(() -> codec.unjellier().unjelly(
            sexp(b("geo.Point"), dict(sexp(unicode("x"), unicode("1")), sexp(unicode("y"), 2)))))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessage("x: str '1' (expected: int in the range of int)");
    assertThatThrownBy(() -> codec.unjellier().unjelly(
            sexp(b("geo.Point"), dict(sexp(unicode("x"), 1L << 40), sexp(unicode("y"), 2)))))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessageContaining("1099511627776");
  }

  @Test
  void stateThatIsNotADictIsRefused() {
    assertThatThrownBy(() -> codec.unjellier().unjelly(sexp(b("geo.Point"), sexp(b("list")))))
        .isInstanceOf(JellyException.class)
        .hasMessage("state: [] (expected: a dict)");
  }

  @Test
  void exceptionFromTheRecordConstructorBecomesAJellyException() {
    assertThatThrownBy(() -> codec.unjellier().unjelly(sexp(b("test.Checked"), dict(sexp(unicode("positive"), 0)))))
        .isInstanceOf(JellyException.class)
        .hasMessageContaining("state of test.Checked")
        .hasMessageContaining("positive: 0 (expected: > 0)");
  }

  @Test
  void recordWithCharFloatShortByteAndByteArrayComponentsRoundTrips() {
    Letters letters = new Letters('q', 0.5f, (short) -7, (byte) 3, new byte[] {1, 2});
    Letters back = (Letters) codec.roundTrip(letters, Dialect.PB);
    assertThat(back.first()).isEqualTo('q');
    assertThat(back.ratio()).isEqualTo(0.5f);
    assertThat(back.small()).isEqualTo((short) -7);
    assertThat(back.tiny()).isEqualTo((byte) 3);
    assertThat(back.data()).containsExactly(1, 2);
  }

  @Test
  void unregisteredRecordIsRefusedOnSendWithAClearMessage() {
    record Local(int a) {}
    assertThatThrownBy(() -> codec.jellyHex(new Local(1), Dialect.PB))
        .isInstanceOf(JellyException.class)
        .hasMessageContaining("cannot jelly " + Local.class.getName())
        .hasMessageContaining("registered in the JellyRegistry");
  }

  @Test
  void unregisteredTypeNameIsRefusedOnReceiveWithTwistedsMessage() {
    assertThatThrownBy(() -> JellyCodec.plain().unjellier().unjelly(sexp(b("geo.Point"), dict())))
        .isInstanceOf(InsecureJellyException.class)
        .hasMessage("Module geo not allowed (in type geo.Point).")
        .extracting(e -> ((InsecureJellyException) e).className())
        .isEqualTo("geo.Point");
  }

  @Test
  void senderOnlyTypeIsSentWithItsBaseRegistrationButNeverReceived() {
    assertThat(codec.jellyHex(new Circle(), Dialect.NONE))
        .isEqualTo(hex(sexp(b("test.Shape"), dict(sexp(unicode("name"), unicode("circle"))))));
    assertThatThrownBy(() -> codec.unjellier().unjelly(sexp(b("test.Shape"), dict())))
        .isInstanceOf(InsecureJellyException.class)
        .hasMessage("Module test not allowed (in type test.Shape).");
  }

  @Test
  void receiverOnlyTypeIsReceivedButNotSent() {
    JellyRegistry receiving = JellyRegistry.builder()
        .registerReceiver("twisted.spread.pb.CopyableFailure", Map.class, state -> (Map<?, ?>) state)
        .build();
    JellyCodec c = JellyCodec.of(receiving);
    Object failure = c.unjellier().unjelly(sexp(b("twisted.spread.pb.CopyableFailure"),
        dict(sexp(unicode("type"), b("my.Oops")))));
    assertThat(failure).isEqualTo(Map.of("type", ByteString.ascii("my.Oops")));
    // A Map is still sent as a dict, never as the receive-only copyable.
    assertThat(c.jellyHex(Map.of(), Dialect.NONE)).isEqualTo(hex(dict()));
  }

  @Test
  void registrationRefusesJellyTagsDuplicatesAndInaccessibleRecords() {
    assertThatThrownBy(() -> JellyRegistry.builder().registerRecord("list", Point.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Jelly tag");
    assertThatThrownBy(() -> JellyRegistry.builder()
            .registerRecord("a.P", Point.class).registerRecord("a.P", Boxed.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already registered");
    assertThatThrownBy(() -> JellyRegistry.builder()
            .registerRecord("a.P", Point.class).registerRecord("b.P", Point.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already sent as a.P");
    assertThatThrownBy(() -> JellyRegistry.builder().registerRecord("a.H", Hidden.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be public");
    assertThatThrownBy(() -> JellyRegistry.builder().registerRecord("", Point.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lookupByNameAndClass() {
    assertThat(registry.forWireName(ByteString.ascii("geo.Point"))).isNotNull()
        .extracting(CopyType::javaType).isEqualTo(Point.class);
    assertThat(registry.forClass(Circle.class)).extracting(t -> t.wireName().toStringUtf8()).isEqualTo("test.Shape");
    assertThat(registry.forClass(String.class)).isNull();
    assertThat(JellyRegistry.EMPTY.types()).isEmpty();
    assertThat(registry.toBuilder().registerRecord("geo.Other", Hidden2.class).build().types()).hasSize(7);
  }

  public record Hidden2(BigInteger n) {}
}
