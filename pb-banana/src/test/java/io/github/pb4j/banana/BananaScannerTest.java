package io.github.pb4j.banana;

import io.github.pb4j.banana.internal.BananaScanner;
import static io.github.pb4j.banana.internal.BananaScanner.Result.COMPLETE;
import static io.github.pb4j.banana.internal.BananaScanner.Result.GIVE_UP;
import static io.github.pb4j.banana.internal.BananaScanner.Result.INCOMPLETE;
import static io.github.pb4j.banana.TestBytes.bytes;
import static io.github.pb4j.banana.TestBytes.concat;
import static io.github.pb4j.banana.TestBytes.repeat;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class BananaScannerTest {
  private static BananaScanner.Result scan(String hex) {
    return scanBytes(bytes(hex));
  }

  private static BananaScanner.Result scanBytes(byte[] input) {
    return new BananaScanner(BananaLimits.DEFAULT, Long.MAX_VALUE).scan(Unpooled.wrappedBuffer(input));
  }

  @Test
  void atomsAndEmptyListsAreCompleteAtOnce() {
    assertThat(scan("")).isEqualTo(INCOMPLETE);
    assertThat(scan("0080")).isEqualTo(COMPLETE);
    assertThat(scan("0581")).isEqualTo(COMPLETE);
    assertThat(scan("0187")).isEqualTo(COMPLETE);
    assertThat(scan("843ff8000000000000")).isEqualTo(COMPLETE);
    assertThat(scan("843ff80000")).isEqualTo(INCOMPLETE);
    assertThat(scan("0382616263")).isEqualTo(COMPLETE);
    assertThat(scan("03826162")).isEqualTo(INCOMPLETE);
    assertThat(scan("0280" + "0181")).isEqualTo(INCOMPLETE);
    assertThat(scan("0280" + "0181" + "0080")).isEqualTo(COMPLETE);
  }

  @Test
  void whatTheDecoderShouldJudgeIsGivenUp() {
    assertThat(scan("01ff")).as("unknown type byte").isEqualTo(GIVE_UP);
    // A string of 640 KiB + 1 bytes (655361 = 1 + 40 * 128^2): over Twisted's size limit.
    assertThat(scan("010028" + "82")).isEqualTo(GIVE_UP);
    assertThat(scan("000028" + "82")).isEqualTo(INCOMPLETE); // exactly the limit: waits
    assertThat(scanBytes(concat(repeat("01", 64), bytes("81")))).as("64 prefix digits").isEqualTo(COMPLETE);
    assertThat(scanBytes(concat(repeat("01", 65), bytes("81")))).as("65 prefix digits").isEqualTo(GIVE_UP);
  }

  @Test
  void nestingPastTheDepthLimitIsGivenUp() {
    BananaLimits shallow = new BananaLimits(64, 640 * 1024, 8L << 20, 3);
    BananaScanner scanner = new BananaScanner(shallow, Long.MAX_VALUE);

    assertThat(scanner.scan(Unpooled.wrappedBuffer(concat(repeat("0180", 3), bytes("0181"))))).isEqualTo(COMPLETE);
    scanner.reset();
    assertThat(scanner.scan(Unpooled.wrappedBuffer(concat(repeat("0180", 4), bytes("0181"))))).isEqualTo(GIVE_UP);
  }

  @Test
  void anExpressionLongerThanItWaitsForIsGivenUp() {
    BananaScanner scanner = new BananaScanner(BananaLimits.DEFAULT, 100);
    // A 200-byte string whose header has arrived: the scanner does not wait for it.
    assertThat(scanner.scan(Unpooled.wrappedBuffer(bytes("014882")))).isEqualTo(GIVE_UP);
    // Nor does it call one whole that is longer than that.
    scanner.reset();
    assertThat(scanner.scan(Unpooled.wrappedBuffer(concat(bytes("014882"), new byte[200])))).isEqualTo(GIVE_UP);
  }

  @Test
  void resumesWithoutRescanningWhatItRead() {
    BananaScanner scanner = new BananaScanner(BananaLimits.DEFAULT, Long.MAX_VALUE);
    io.netty.buffer.ByteBuf buf = Unpooled.buffer();
    buf.writeBytes(bytes("0380" + "0181"));
    assertThat(scanner.scan(buf)).isEqualTo(INCOMPLETE);
    buf.writeBytes(bytes("05"));
    assertThat(scanner.scan(buf)).isEqualTo(INCOMPLETE); // half a header
    buf.writeBytes(bytes("82" + "6865"));
    assertThat(scanner.scan(buf)).isEqualTo(INCOMPLETE); // inside the string
    buf.writeBytes(bytes("6c6c6f" + "0181"));
    assertThat(scanner.scan(buf)).isEqualTo(COMPLETE);
  }
}
