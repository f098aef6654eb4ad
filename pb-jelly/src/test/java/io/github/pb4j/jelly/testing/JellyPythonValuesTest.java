package io.github.pb4j.jelly.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.ByteString;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vectors' shorthand on top of {@link io.github.pb4j.jelly.PythonLiteral}. */
class JellyPythonValuesTest {
  @Test
  void evaluatesRepetitionAndIntegerArithmetic() {
    assertThat(JellyPythonValues.parse("'ä' * 3")).isEqualTo("äää");
    assertThat(JellyPythonValues.parse("b'x*' * 2")).isEqualTo(ByteString.ascii("x*x*"));
    assertThat(JellyPythonValues.parse("[0] * 2")).isEqualTo(List.of(0, 0));
    assertThat(JellyPythonValues.parse("2**448")).isEqualTo(BigInteger.TWO.pow(448));
    assertThat(JellyPythonValues.parse("-2**2")).isEqualTo(-4);
    assertThat(JellyPythonValues.parse("2**3**2")).isEqualTo(512);
    assertThat(JellyPythonValues.parse("3 * 2**4")).isEqualTo(48);
  }

  @Test
  void leavesLiteralsToPythonLiteral() {
    assertThat(JellyPythonValues.parse("datetime.date(2020, 7, 11)"))
        .isEqualTo(LocalDate.of(2020, 7, 11));
    assertThat(JellyPythonValues.parse("{'a*b': '**'}")).isEqualTo(java.util.Map.of("a*b", "**"));
    assertThatThrownBy(() -> JellyPythonValues.parse("os.getcwd()"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
