package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.pb4j.jelly.PythonLiteral;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "None | null",
        "True | true",
        "-7 | -7",
        "1180591620717411303424 | 1180591620717411303424",
        "1.5 | 1.5",
        "1e+100 | 1e+100",
        "inf | {\"$float\": \"inf\"}",
        "'h\\u00e9\"llo\\n' | \"hé\\\"llo\\n\"",
        "b'\\x00\\xff' | {\"$bytes\": \"AP8=\"}",
        "[1, (2,), {3}, frozenset({4})] | [1, [2], [3], [4]]",
        "{'a': 1, 'b': [None]} | {\"a\": 1, \"b\": [null]}",
        "{1: 'x', b'k': 2} | {\"$dict\": [[1, \"x\"], [{\"$bytes\": \"aw==\"}, 2]]}",
        "Decimal('1.50') | {\"$decimal\": \"1.50\"}",
      })
  void mapsPythonValues(String literal, String json) {
    assertThat(Json.of(PythonLiteral.parse(literal))).isEqualTo(json);
  }

  @Test
  void aValueThatSharesItsPartsIsRefusedOnceTooLongNotWrittenOut() {
    List<Object> x = new ArrayList<>(List.of(1));
    for (int i = 0; i < 30; i++) {
      x = new ArrayList<>(List.of(x, x)); // 2^30 leaves as a tree
    }
    List<Object> shared = x;
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
      assertThatThrownBy(() -> Json.of(shared, 1000))
          .isInstanceOf(Json.TooLongException.class)
          .hasMessage("more than 1000 characters as JSON");
      assertThatThrownBy(() -> Json.of(shared)).isInstanceOf(Json.TooLongException.class);
    });
    assertThat(Json.of(List.of(1, 2), 6)).isEqualTo("[1, 2]");
    assertThatThrownBy(() -> Json.of(List.of(1, 2), 5)).isInstanceOf(Json.TooLongException.class);
  }
}
