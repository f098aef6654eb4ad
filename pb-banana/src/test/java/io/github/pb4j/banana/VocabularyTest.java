package io.github.pb4j.banana;

import io.github.pb4j.banana.internal.Vocabulary;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VocabularyTest {

  @Test
  void numbersTheThirtyOneWordsFromOne() {
    assertThat(Vocabulary.size()).isEqualTo(31);
    assertThat(Vocabulary.word(1)).isEqualTo(ByteString.ascii("None"));
    assertThat(Vocabulary.word(19)).isEqualTo(ByteString.ascii("version"));
    assertThat(Vocabulary.word(31)).isEqualTo(ByteString.ascii("uncache"));
    assertThat(Vocabulary.word(0)).isNull();
    assertThat(Vocabulary.word(32)).isNull();
    assertThat(Vocabulary.word(-1)).isNull();
    assertThat(Vocabulary.word(Long.MAX_VALUE)).isNull();
  }

  @Test
  void looksUpNumbersOfWords() {
    for (int n = 1; n <= Vocabulary.size(); n++) {
      ByteString word = Vocabulary.word(n);
      assertThat(Vocabulary.numberOf(word)).isEqualTo(n);
      assertThat(Vocabulary.numberOf(word.toStringUtf8())).isEqualTo(n);
    }
  }

  @Test
  void isCaseSensitiveAndExact() {
    assertThat(Vocabulary.numberOf(ByteString.ascii("none"))).isZero();
    assertThat(Vocabulary.numberOf("NONE")).isZero();
    assertThat(Vocabulary.numberOf(ByteString.ascii("unicode"))).isZero();
    assertThat(Vocabulary.numberOf(ByteString.ascii("lists"))).isZero();
    assertThat(Vocabulary.numberOf(ByteString.ascii("lis"))).isZero();
    assertThat(Vocabulary.numberOf(ByteString.EMPTY)).isZero();
    assertThat(Vocabulary.numberOf(ByteString.fromHex("6c69737480"))).isZero();
    assertThat(Vocabulary.numberOf("")).isZero();
  }
}
