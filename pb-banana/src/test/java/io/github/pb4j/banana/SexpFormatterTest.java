package io.github.pb4j.banana;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.testing.BananaVector;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SexpFormatter} writes what Python's {@code repr} writes. */
class SexpFormatterTest {

  @Test
  void formatsVersionMessage() {
    assertThat(SexpFormatter.format(List.of(ByteString.ascii("version"), 6)))
        .isEqualTo("[b'version', 6]");
  }

  @Test
  void formatsNestedListsAndEveryAtom() {
    Object value =
        List.of(
            List.of(),
            List.of(List.of(1)),
            -7,
            1L << 40,
            BigInteger.ONE.shiftLeft(64).negate(),
            2.5,
            ByteString.EMPTY);
    assertThat(SexpFormatter.format(value))
        .isEqualTo("[[], [[1]], -7, 1099511627776, -18446744073709551616, 2.5, b'']");
  }

  @Test
  void formatsBytesWithPythonEscapes() {
    assertThat(SexpFormatter.format(List.of(ByteString.fromHex("00 09 0a 0d 5c 27 7f 80 ff 41"))))
        .isEqualTo("[b\"\\x00\\t\\n\\r\\\\'\\x7f\\x80\\xffA\"]");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "1.5",
        "-0.0",
        "0.0",
        "1e+100",
        "1e-05",
        "0.0001",
        "0.0002",
        "0.00015",
        "5e-324",
        "2e+23",
        "1.152921504606847e+18",
        "1e+16",
        "1000000000000000.0",
        "9007199254740992.0",
        "0.1",
        "0.30000000000000004",
        "0.3333333333333333",
        "123456789.125",
        "1.7976931348623157e+308",
        "2.2250738585072014e-308",
        "1e+22",
        "1e+23",
        "1.0000000000000002",
        "100.0",
        "1.2345678901234568e+16",
        "-2.5e-300",
        "4.35",
        "1e-07",
        "1.23456789e-05",
        "9999999999999998.0",
        "0.001",
        "12345.0",
        "2.18794e+21",
        "4.080376477071992e+17",
        "-9.37224968851e+17",
        "-6.640087479599999e+16",
        "-5.503395484764678e+18",
        "-2.327515027242593e+16",
        "3.259257562135178e+91",
        "-8.6384565021978e+18",
        "-3.932756651095949e+17",
        "2.4036413998332e+18",
        "7.071553508537e+17",
        "6.543510996144337e+16",
      })
  void formatsFloatsLikePythonRepr(String pythonRepr) {
    // Each string is CPython 3.11's repr() of the float it denotes.
    assertThat(SexpFormatter.pythonFloat(Double.parseDouble(pythonRepr))).isEqualTo(pythonRepr);
  }

  @Test
  void formatsSpecialFloatsLikePythonRepr() {
    assertThat(SexpFormatter.pythonFloat(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    assertThat(SexpFormatter.pythonFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    assertThat(SexpFormatter.pythonFloat(Double.NaN)).isEqualTo("nan");
    assertThat(SexpFormatter.pythonFloat(Double.longBitsToDouble(0xfff0000000000001L)))
        .isEqualTo("nan");
    assertThat(SexpFormatter.format(List.of(-0.0, 1e100, 1e-5))).isEqualTo("[-0.0, 1e+100, 1e-05]");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodedReprs")
  void formatsDecodedVectorsLikeTwistedsGenerator(BananaVector vector) {
    // The generator spells nan and inf as float('nan'), as repr() cannot be read back.
    String expected =
        vector
            .decodedRepr()
            .replace("float('nan')", "nan")
            .replace("float('inf')", "inf")
            .replace("float('-inf')", "-inf");
    assertThat(SexpFormatter.format(vector.decodedValue())).isEqualTo(expected);
  }

  @Test
  void formatsIndentedOneElementPerLineWhenLong() {
    List<Object> value =
        List.of(
            ByteString.ascii("message"),
            1,
            ByteString.ascii("root"),
            ByteString.ascii("x".repeat(80)),
            List.of(1, 2));
    assertThat(SexpFormatter.formatIndented(value))
        .isEqualTo("[\n  b'message',\n  1,\n  b'root',\n  b'" + "x".repeat(80) + "',\n  [1, 2]]");
    assertThat(SexpFormatter.formatIndented(List.of(1, 2))).isEqualTo("[1, 2]");
  }

  static Stream<Named<BananaVector>> decodedReprs() {
    return BananaVector.all().stream()
        .filter(v -> v.decodedRepr() != null)
        .map(v -> Named.of(v.name(), v));
  }
}
