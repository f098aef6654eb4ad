package io.github.pb4j.jelly;

import static io.github.pb4j.jelly.Sexps.b;
import static io.github.pb4j.jelly.Sexps.sexp;
import static io.github.pb4j.jelly.Sexps.unicode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.testing.JellyCodec;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * One test per attack a peer can make at the Jelly level. Every expression Twisted's PB unjellier
 * rejects in {@code jelly.json} is here, plus the ones pb4j rejects and Twisted does not.
 */
class JellyHostileInputTest {
  public record Point(int x, int y) {}

  private final JellyCodec codec = JellyCodec.of(
      JellyRegistry.builder().registerRecord("geo.Point", Point.class).build(), new FlavourExtension());

  private AbstractThrowableAssert<?, ? extends Throwable> assertUnjelly(Object sexp) {
    // Every expression also goes through real Banana bytes, as from a peer.
    Object decoded = JellyCodec.decodeSexp(JellyCodec.encodeSexp(sexp, Dialect.PB), Dialect.PB);
    return assertThatThrownBy(() -> codec.unjellier().unjelly(decoded)).isInstanceOf(JellyException.class);
  }

  /** For expressions too deep for a recursive Banana encoder: unjellied as they are. */
  private AbstractThrowableAssert<?, ? extends Throwable> assertUnjellyDeep(Object sexp) {
    return assertThatThrownBy(() -> codec.unjellier().unjelly(sexp)).isInstanceOf(JellyException.class);
  }

  private void assertInsecure(Object sexp, String twistedMessage) {
    assertUnjelly(sexp).isInstanceOf(InsecureJellyException.class).hasMessage(twistedMessage);
  }

  @Test
  void rejectsClassTag() {
    assertInsecure(sexp(b("class"), b("os.system")), "b'class'");
  }

  @Test
  void rejectsModuleTag() {
    assertInsecure(sexp(b("module"), b("os")), "b'module'");
  }

  @Test
  void rejectsFunctionTag() {
    assertInsecure(sexp(b("function"), b("os.system")), "b'function'");
  }

  @Test
  void rejectsInstanceTag() {
    assertInsecure(sexp(b("instance"), sexp(b("class"), b("os.Foo")), sexp(b("dictionary"))), "b'instance'");
  }

  @Test
  void rejectsMethodTag() {
    assertInsecure(sexp(b("method"), b("x"), sexp(b("None")), sexp(b("class"), b("os.Foo"))), "b'method'");
  }

  @Test
  void rejectsDottedTypeNameNobodyRegistered() {
    assertInsecure(sexp(b("os.system"), sexp(b("dictionary"))), "Module os not allowed (in type os.system).");
    assertInsecure(sexp(b("a.b.C"), sexp(b("None"))), "Module a.b not allowed (in type a.b.C).");
  }

  @Test
  void rejectsTwistedTypeAliasesThatHaveNoUnjellier() {
    for (String alias : List.of("dict", "int", "str", "long", "float", "string", "NoneType", "bool", "long_int")) {
      assertInsecure(sexp(b(alias)), "Module  not allowed (in type " + alias + ").");
    }
  }

  @Test
  void rejectsUnknownTag() {
    assertInsecure(sexp(b("frobnicate"), 1), "b'frobnicate'");
    assertInsecure(sexp(b("copy"), 1), "b'copy'");
    assertInsecure(sexp(b("cache"), 1), "b'cache'");
  }

  @Test
  void rejectsFlavoursWhenNoExtensionHandlesThem() {
    for (String flavour : List.of("remote", "local", "cached", "lcache")) {
      assertThatThrownBy(() -> JellyCodec.plain().unjellier().unjelly(sexp(b(flavour), 1)))
          .isInstanceOf(InsecureJellyException.class)
          .hasMessage("b'" + flavour + "'");
    }
  }

  @Test
  void rejectsUnknownCacheLuid() {
    assertUnjelly(sexp(b("cached"), 99)).hasMessageContaining("99")
        .extracting(e -> ((JellyException) e).twistedType()).isEqualTo("builtins.KeyError");
    assertUnjelly(sexp(b("lcache"), 99)).hasMessageContaining("99");
  }

  @Test
  void rejectsDuplicateReferenceId() {
    assertUnjelly(sexp(b("list"), sexp(b("reference"), 1, sexp(b("list"))), sexp(b("reference"), 1, sexp(b("list")))))
        .hasMessageContaining("defined twice");
    // A reference nested in its own definition is a duplicate too.
    assertUnjelly(sexp(b("reference"), 1, sexp(b("list"), sexp(b("reference"), 1, sexp(b("list"))))))
        .hasMessageContaining("defined twice");
  }

  @Test
  void rejectsForwardDereference() {
    // Twisted back-patches this; its jellier never produces it.
    assertUnjelly(sexp(b("list"), sexp(b("dereference"), 1), sexp(b("reference"), 1, sexp(b("list"), 5))))
        .hasMessage("dereference: id 1 not defined (expected: an earlier reference)");
  }

  @Test
  void rejectsDanglingDereference() {
    // Twisted returns an internal placeholder object for this.
    assertUnjelly(sexp(b("list"), sexp(b("dereference"), 9)))
        .hasMessage("dereference: id 9 not defined (expected: an earlier reference)");
  }

  @Test
  void rejectsReferenceIdThatIsNotAnInt() {
    assertUnjelly(sexp(b("reference"), b("x"), sexp(b("list")))).hasMessageContaining("reference id");
    assertUnjelly(sexp(b("dereference"), 1.5)).hasMessageContaining("reference id");
    assertUnjelly(sexp(b("list"), sexp(b("reference"), 1L << 40, sexp(b("list")))))
        .hasMessageContaining("reference id");
  }

  @Test
  void rejectsInvalidUtf8InText() {
    assertUnjelly(sexp(b("unicode"), ByteString.of((byte) 0xff, (byte) 0xfe)))
        .hasMessageContaining("valid UTF-8")
        .extracting(e -> ((JellyException) e).twistedType()).isEqualTo("builtins.UnicodeDecodeError");
    // An encoded lone surrogate is not valid UTF-8 either.
    assertUnjelly(sexp(b("unicode"), ByteString.of((byte) 0xed, (byte) 0xa0, (byte) 0x80)));
  }

  @Test
  void rejectsBooleanOtherThanTrueOrFalse() {
    assertUnjelly(sexp(b("boolean"), b("yes")))
        .extracting(e -> ((JellyException) e).twistedType()).isEqualTo("builtins.AssertionError");
    assertUnjelly(sexp(b("boolean"), 1));
    assertUnjelly(sexp(b("boolean"), b("True")));
  }

  @Test
  void rejectsOutOfRangeDatetimeFields() {
    assertUnjelly(sexp(b("datetime"), b("2020 13 1"))).hasMessageContaining("2020 13 1");
    assertUnjelly(sexp(b("datetime"), b("2020 1 1 24 0 0 0")));
    assertUnjelly(sexp(b("date"), b("2021 2 29")));
    assertUnjelly(sexp(b("time"), b("0 60 0 0")));
  }

  @Test
  void rejectsDateFieldsThatOverflowAnInt() {
    // 4294969316 is 2020 modulo 2**32: it must not quietly become the year 2020.
    assertUnjelly(sexp(b("date"), b("4294969316 1 1")));
    assertUnjelly(sexp(b("datetime"), b("2020 4294967297 1")));
    assertUnjelly(sexp(b("time"), b("4294967297 0 0 0")));
  }

  @Test
  void rejectsYearsPythonCannotHold() {
    // Python's datetime stops at years 1 and 9999; a Java value outside could not be sent back.
    assertUnjelly(sexp(b("date"), b("0 1 1")));
    assertUnjelly(sexp(b("datetime"), b("10000 1 1 0 0 0 0")));
    assertUnjelly(sexp(b("date"), b("-5 1 1")));
  }

  @Test
  void rejectsMicrosecondOutOfRange() {
    assertUnjelly(sexp(b("time"), b("0 0 0 1000000"))).hasMessageContaining("microsecond");
    assertUnjelly(sexp(b("datetime"), b("2020 1 1 0 0 0 -1"))).hasMessageContaining("microsecond");
  }

  @Test
  void rejectsMalformedDatePayloads() {
    assertUnjelly(sexp(b("date"), b("2020 1")));
    assertUnjelly(sexp(b("date"), b("2020 1 1 5")));
    assertUnjelly(sexp(b("datetime"), b("a b c")));
    assertUnjelly(sexp(b("datetime"), b("2020 1 1 0 0 0 0 0")));
    assertUnjelly(sexp(b("timedelta"), b("1 2 3 4")));
    assertUnjelly(sexp(b("date"), 2020));
    assertUnjelly(sexp(b("date"), ByteString.of((byte) 0xff)));
    assertUnjelly(sexp(b("date")));
  }

  @Test
  void rejectsTimedeltaBeyondPythonsRange() {
    assertUnjelly(sexp(b("timedelta"), b("1000000000 0 0"))).hasMessageContaining("out of range");
    assertUnjelly(sexp(b("timedelta"), b("0 99999999999999999 0")));
  }

  @Test
  void rejectsMalformedDecimal() {
    // The shape Twisted would produce for Decimal('Infinity') if Banana let it through.
    assertUnjelly(sexp(b("decimal"), 0, b("F"))).hasMessageContaining("two ints");
    assertUnjelly(sexp(b("decimal"), 1.5, 0));
    assertUnjelly(sexp(b("decimal"), 1));
    assertUnjelly(sexp(b("decimal"), 1, Integer.MIN_VALUE));
  }

  @Test
  void rejectsEmptyExpression() {
    assertUnjelly(sexp()).hasMessageContaining("expected: [tag, ...]");
  }

  @Test
  void rejectsTagThatIsNotBytes() {
    assertUnjelly(sexp(1, 2)).hasMessageContaining("jelly tag");
    assertUnjelly(sexp(sexp(b("list")), 1)).hasMessageContaining("jelly tag");
    assertUnjelly(sexp(1.5)).hasMessageContaining("jelly tag");
  }

  @Test
  void rejectsWrongArity() {
    assertUnjelly(sexp(b("unicode")));
    assertUnjelly(sexp(b("unicode"), b("a"), b("b")));
    assertUnjelly(sexp(b("boolean")));
    assertUnjelly(sexp(b("reference"), 1));
    assertUnjelly(sexp(b("dereference")));
    assertUnjelly(sexp(b("geo.Point")));
    assertUnjelly(sexp(b("geo.Point"), sexp(b("dictionary")), 3));
    assertUnjelly(sexp(b("remote")));
  }

  @Test
  void rejectsMalformedDictionaryItems() {
    assertUnjelly(sexp(b("dictionary"), 5)).hasMessageContaining("dictionary item");
    assertUnjelly(sexp(b("dictionary"), sexp(1))).hasMessageContaining("dictionary item");
    assertUnjelly(sexp(b("dictionary"), sexp(1, 2, 3))).hasMessageContaining("dictionary item");
  }

  @Test
  void rejectsUnhashableDictKeys() {
    // Python refuses these (TypeError: unhashable type); Java would accept a key whose hash
    // changes as the structure is completed, corrupting the map.
    assertUnjelly(sexp(b("dictionary"), sexp(sexp(b("list")), 1))).hasMessageContaining("unhashable");
    assertUnjelly(sexp(b("dictionary"), sexp(sexp(b("dictionary")), 1))).hasMessageContaining("unhashable");
    assertUnjelly(sexp(b("dictionary"), sexp(sexp(b("set")), 1))).hasMessageContaining("unhashable");
    assertUnjelly(sexp(b("dictionary"), sexp(sexp(b("tuple"), 1, sexp(b("list"))), 1)))
        .hasMessageContaining("unhashable");
    // A container used as a key inside itself, still half built.
    assertUnjelly(sexp(b("reference"), 1, sexp(b("list"), sexp(b("dictionary"), sexp(sexp(b("dereference"), 1), 1)))))
        .hasMessageContaining("unhashable");
    assertUnjelly(sexp(b("reference"), 1,
            sexp(b("tuple"), sexp(b("dictionary"), sexp(sexp(b("dereference"), 1), 1)))))
        .hasMessageContaining("unhashable");
  }

  @Test
  void acceptsHashableDictKeys() throws Exception {
    Object value = codec.unjellier().unjelly(sexp(b("dictionary"),
        sexp(sexp(b("tuple"), 1, sexp(b("frozenset"), unicode("a"))), 1),
        sexp(sexp(b("None")), 2),
        sexp(sexp(b("geo.Point"), sexp(b("dictionary"), sexp(unicode("x"), 1), sexp(unicode("y"), 2))), 3)));
    assertThat(value).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).hasSize(3);
  }

  @Test
  void rejectsUnhashableSetElements() {
    assertUnjelly(sexp(b("set"), sexp(b("list")))).hasMessageContaining("unhashable");
    assertUnjelly(sexp(b("frozenset"), sexp(b("dictionary")))).hasMessageContaining("unhashable");
    assertUnjelly(sexp(b("set"), sexp(b("set")))).hasMessageContaining("unhashable");
    assertUnjelly(sexp(b("frozenset"), sexp(b("tuple"), sexp(b("list"))))).hasMessageContaining("unhashable");
  }

  @Test
  void rejectsCopyableWhoseStateRefersBackToIt() {
    // Twisted leaves an unresolved placeholder here (vector copyable_cycle); we refuse.
    assertUnjelly(sexp(b("reference"), 1, sexp(b("geo.Point"),
            sexp(b("dictionary"), sexp(unicode("x"), sexp(b("dereference"), 1)), sexp(unicode("y"), 2)))))
        .hasMessageContaining("not defined");
  }

  @Test
  void rejectsUnregisteredCopyable() {
    assertInsecure(sexp(b("pbvec_classes.Unregistered"), sexp(b("dictionary"), sexp(unicode("secret"), 1))),
        "Module pbvec_classes not allowed (in type pbvec_classes.Unregistered).");
  }

  @Test
  void rejectsDeepNestingThroughCopyableState() {
    Object inner = 1;
    for (int i = 0; i < 1500; i++) {
      inner = sexp(b("geo.Point"), sexp(b("dictionary"), sexp(unicode("x"), inner)));
    }
    assertUnjellyDeep(inner).hasMessageContaining("nesting depth");
  }

  @Test
  void rejectsDeepNesting() {
    assertUnjellyDeep(nested(2000, "list")).hasMessageContaining("nesting depth");
    assertUnjellyDeep(nested(2000, "tuple")).hasMessageContaining("nesting depth");
    assertUnjellyDeep(nested(2000, "set")).hasMessageContaining("nesting depth");
  }

  @Test
  void rejectsDeepNestingThroughDictionaryValues() {
    Object inner = 1;
    for (int i = 0; i < 2000; i++) {
      inner = sexp(b("dictionary"), sexp(1, inner));
    }
    assertUnjellyDeep(inner).hasMessageContaining("nesting depth");
  }

  @Test
  void rejectsDeepChainOfReferenceWrappers() {
    Object inner = sexp(b("list"));
    for (int i = 5000; i >= 1; i--) {
      inner = sexp(b("reference"), i, inner);
    }
    // Twisted gives an object one id at most, so a wrapper never wraps another wrapper.
    assertUnjellyDeep(inner).hasMessageContaining("wraps another reference");
  }

  private static Object nested(int depth, String tag) {
    Object inner = 1;
    for (int i = 0; i < depth; i++) {
      inner = sexp(b(tag), inner);
    }
    return inner;
  }
}
