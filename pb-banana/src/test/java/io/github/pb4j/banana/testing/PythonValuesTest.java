package io.github.pb4j.banana.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.ByteString;
import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The vector fixture reads Python literals correctly; the vector tests depend on it. */
class PythonValuesTest {
  private static final BigInteger TWO_448 = BigInteger.ONE.shiftLeft(448);

  @Test
  void parsesIntegersAsSmallestJavaType() {
    assertThat(PythonValues.parse("0")).isEqualTo(0);
    assertThat(PythonValues.parse("-2147483648")).isEqualTo(Integer.MIN_VALUE);
    assertThat(PythonValues.parse("2147483648")).isEqualTo(2147483648L);
    assertThat(PythonValues.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    assertThat(PythonValues.parse("9223372036854775808")).isEqualTo(BigInteger.ONE.shiftLeft(63));
    assertThat(PythonValues.parse("2**448")).isEqualTo(TWO_448);
    assertThat(PythonValues.parse("-(2**448)")).isEqualTo(TWO_448.negate());
    assertThat(PythonValues.parse("-2**3")).isEqualTo(-8);
    assertThat(PythonValues.parse("2 ** 448")).isEqualTo(TWO_448);
  }

  @Test
  void parsesBooleansAsIntsAndNoneAsNull() {
    assertThat(PythonValues.parse("True")).isEqualTo(1);
    assertThat(PythonValues.parse("False")).isEqualTo(0);
    assertThat(PythonValues.parse("None")).isNull();
  }

  @Test
  void parsesFloats() {
    assertThat(PythonValues.parse("1.5")).isEqualTo(1.5);
    assertThat(PythonValues.parse("-0.0")).isEqualTo(-0.0);
    assertThat(PythonValues.parse("1e+308")).isEqualTo(1e308);
    assertThat(PythonValues.parse("5e-324")).isEqualTo(Double.MIN_VALUE);
    assertThat(PythonValues.parse("9007199254740992.0")).isEqualTo(9007199254740992.0);
    assertThat(PythonValues.parse("inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(PythonValues.parse("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(PythonValues.parse("nan")).isEqualTo(Double.NaN);
    assertThat(PythonValues.parse("float('nan')")).isEqualTo(Double.NaN);
    assertThat(PythonValues.parse("float('-inf')")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(PythonValues.parse("float(\"inf\")")).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void parsesBytesLiteralsWithEscapes() {
    assertThat(PythonValues.parse("b''")).isEqualTo(ByteString.EMPTY);
    assertThat(PythonValues.parse("b'\\x00\\t\\n\\r\\\\\\'\\x80\\xff'"))
        .isEqualTo(ByteString.fromHex("00 09 0a 0d 5c 27 80 ff"));
    assertThat(PythonValues.parse("b\"it's\"")).isEqualTo(ByteString.ascii("it's"));
    assertThat(PythonValues.parse("b'\\0\\101\\q'")).isEqualTo(ByteString.fromHex("00 41 5c 71"));
  }

  @Test
  void parsesTextAndDictsAsJavaValues() {
    assertThat(PythonValues.parse("'hello'")).isEqualTo("hello");
    assertThat(PythonValues.parse("'caf\\xe9 \\u2603'")).isEqualTo("caf\u00e9 \u2603");
    assertThat(PythonValues.parse("{}")).isEqualTo(Map.of());
    assertThat(PythonValues.parse("{b'a': 1, 'b': [2]}"))
        .isEqualTo(Map.of(ByteString.ascii("a"), 1, "b", List.of(2)));
  }

  @Test
  void parsesListsAndTuplesAsLists() {
    assertThat(PythonValues.parse("[1, [2, [3, []]]]"))
        .isEqualTo(List.of(1, List.of(2, List.of(3, List.of()))));
    assertThat(PythonValues.parse("(1, 2)")).isEqualTo(List.of(1, 2));
    assertThat(PythonValues.parse("(1,)")).isEqualTo(List.of(1));
    assertThat(PythonValues.parse("()")).isEqualTo(List.of());
    assertThat(PythonValues.parse("(5)")).isEqualTo(5);
    assertThat(PythonValues.parse("[b'a', 1.5, -1, ]"))
        .isEqualTo(List.of(ByteString.ascii("a"), 1.5, -1));
  }

  @Test
  void parsesRepetition() {
    assertThat(PythonValues.parse("b'ab' * 3")).isEqualTo(ByteString.ascii("ababab"));
    assertThat(PythonValues.parse("[0] * 3")).isEqualTo(Collections.nCopies(3, 0));
    assertThat(PythonValues.parse("2 * [b'x']"))
        .isEqualTo(List.of(ByteString.ascii("x"), ByteString.ascii("x")));
    assertThat(PythonValues.parse("6 * 7")).isEqualTo(42);
  }

  @Test
  void parsesEveryVector() {
    for (BananaVector vector : BananaVector.all()) {
      for (String repr :
          new String[] {vector.pythonRepr(), vector.decodedRepr(), vector.generator()}) {
        if (repr != null) {
          PythonValues.parse(repr);
        }
      }
    }
  }

  @Test
  void rejectsWhatItDoesNotKnow() {
    assertThatThrownBy(() -> PythonValues.parse("object()"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown name 'object'");
    assertThatThrownBy(() -> PythonValues.parse("1 2"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonValues.parse("b'abc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonValues.parse("[1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonValues.parse("b'\\u1234'"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
