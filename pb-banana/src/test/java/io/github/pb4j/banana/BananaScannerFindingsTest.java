package io.github.pb4j.banana;

import io.github.pb4j.banana.internal.Vocabulary;
import io.github.pb4j.banana.internal.BananaScanner;
import static io.github.pb4j.banana.internal.BananaScanner.Result.COMPLETE;
import static io.github.pb4j.banana.internal.BananaScanner.Result.GIVE_UP;
import static io.github.pb4j.banana.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Inputs fuzzing found ({@link BananaScannerFuzzTest}, docs/fuzzing.md), as plain tests. */
class BananaScannerFindingsTest {
  private static BananaScanner.Result scan(String hex) {
    return new BananaScanner(BananaLimits.DEFAULT, Long.MAX_VALUE).scan(Unpooled.wrappedBuffer(bytes(hex)));
  }

  @Test
  void aVocabularyNumberTheDecoderRefusesIsGivenUpNotWaitedFor() {
    // An unfinished list whose first element is word 11274289163: the decoder refuses it at once,
    // so a connection waiting for the list to end would hold bytes it is bound to refuse.
    String unfinished = "0280" + "0b0000002a87";
    assertThatThrownBy(() -> new BananaDecoder(BananaLimits.DEFAULT, Dialect.PB).decode(Unpooled.wrappedBuffer(bytes(unfinished))))
        .isInstanceOf(BananaException.class).hasMessageStartingWith("vocabulary number: 11274289163");
    assertThat(scan(unfinished)).isEqualTo(GIVE_UP);
    assertThat(scan("0087")).as("word 0").isEqualTo(GIVE_UP);
    assertThat(scan("0080" + "7f87")).as("word 127 after a whole expression").isEqualTo(COMPLETE);
    assertThat(scan("7f87")).as("word 127").isEqualTo(GIVE_UP);
    assertThat(scan("0187")).as("word 1").isEqualTo(COMPLETE);
    assertThat(scan(String.format("%02x87", Vocabulary.size()))).as("the last word").isEqualTo(COMPLETE);
    assertThat(scan(String.format("%02x87", Vocabulary.size() + 1))).as("one past the last word").isEqualTo(GIVE_UP);
  }

  @Test
  void aFloatThatWouldPassTheSizeLimitIsRefusedBeforeItsBytesArrive() {
    // A list of 8 whose second element is a float header at byte 11 of a 16-byte limit: the
    // float's 8 bytes cannot fit. The scanner gave up at once while the decoder waited for the
    // 8 bytes it was bound to refuse; now both refuse at once, as for a string.
    BananaLimits limits = new BananaLimits(8, 64, 16, 6);
    String unfinished = "0880" + "0a82" + "00".repeat(10) + "84";
    assertThat(new BananaScanner(limits, Long.MAX_VALUE).scan(Unpooled.wrappedBuffer(bytes(unfinished))))
        .isEqualTo(GIVE_UP);
    assertThatThrownBy(() -> new BananaDecoder(limits, Dialect.NONE).decode(Unpooled.wrappedBuffer(bytes(unfinished))))
        .isInstanceOf(BananaException.class).hasMessageStartingWith("expression size: 23 bytes");
  }
}
