package io.github.pb4j.banana;

import io.github.pb4j.banana.internal.BananaScanner;
import static io.github.pb4j.banana.internal.BananaScanner.Result.COMPLETE;
import static io.github.pb4j.banana.internal.BananaScanner.Result.GIVE_UP;
import static io.github.pb4j.banana.internal.BananaScanner.Result.INCOMPLETE;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pb4j.banana.testing.ChunkedDecoding;
import io.github.pb4j.banana.testing.ChunkedDecoding.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link BananaScanner} (docs/fuzzing.md): its verdict on the first
 * expression agrees with the decoder's, under both {@link FuzzLimits}, whether it scans the input
 * whole or resumes over it as it grows:
 *
 * <ul>
 *   <li>COMPLETE: the decoder decodes a value (or, in the none dialect, refuses a vocabulary word:
 *       the scanner does not know the dialect), of at most the bytes the scanner waits for, and
 *       the scanner calls exactly the decoder's bytes complete and one byte less incomplete;
 *   <li>INCOMPLETE: the decoder waits for more too (or refuses a word in the none dialect);
 *   <li>GIVE_UP while waiting for any expression the limits allow: the decoder refuses the bytes.
 * </ul>
 */
@Timeout(10)
class BananaScannerFuzzTest {
  /** A short bound on what the scanner waits for, as a connection sets one. */
  private static final long SHORT_WAIT = 48;

  @FuzzTest
  void scan(byte[] input) {
    for (FuzzLimits config : FuzzLimits.values()) {
      Outcome decoded = ChunkedDecoding.feedWhole(config.decoder(), input);
      int consumed = consumedByFirst(config, input);
      for (long maxBytes : new long[] {Long.MAX_VALUE, SHORT_WAIT}) {
        BananaScanner.Result whole = scan(config, maxBytes, input);
        String what = config + ", waiting for " + maxBytes + " bytes: " + whole;
        assertThat(scanGrowing(config, maxBytes, input)).as("%s, growing", what).isEqualTo(whole);
        switch (whole) {
          case COMPLETE:
            if (decoded.values().isEmpty()) {
              assertWordInTheWrongDialect(decoded, config, what);
            } else {
              assertThat(consumed).as(what).isLessThanOrEqualTo((int) Math.min(maxBytes, Integer.MAX_VALUE));
              assertThat(scan(config, maxBytes, Arrays.copyOf(input, consumed))).as(what).isEqualTo(COMPLETE);
              assertThat(scan(config, maxBytes, Arrays.copyOf(input, consumed - 1))).as(what).isEqualTo(INCOMPLETE);
            }
            break;
          case INCOMPLETE:
            if (decoded.error() != null) {
              assertWordInTheWrongDialect(decoded, config, what);
            } else {
              assertThat(decoded.values()).as(what).isEmpty();
            }
            break;
          default:
            if (maxBytes == Long.MAX_VALUE) {
              assertThat(decoded.values()).as(what).isEmpty();
              assertThat(decoded.error()).as(what).isNotNull();
            }
            break;
        }
      }
    }
  }

  private static void assertWordInTheWrongDialect(Outcome decoded, FuzzLimits config, String what) {
    assertThat(config.dialect).as(what).isEqualTo(Dialect.NONE);
    assertThat(decoded.values()).as(what).isEmpty();
    assertThat(decoded.errorMessage()).as(what).startsWith("vocabulary token").contains("in the none dialect");
  }

  /** The bytes the decoder takes for the first expression, or -1 if it has none. */
  private static int consumedByFirst(FuzzLimits config, byte[] input) {
    ByteBuf buf = Unpooled.wrappedBuffer(input);
    try {
      return config.decoder().decode(buf) == null ? -1 : buf.readerIndex();
    } catch (BananaException e) {
      return -1;
    }
  }

  private static BananaScanner.Result scan(FuzzLimits config, long maxBytes, byte[] bytes) {
    return new BananaScanner(config.limits, maxBytes).scan(Unpooled.wrappedBuffer(bytes));
  }

  /** Scans the input as it arrives in the chunks {@link FuzzLimits#splitByContent} makes. */
  private static BananaScanner.Result scanGrowing(FuzzLimits config, long maxBytes, byte[] input) {
    BananaScanner scanner = new BananaScanner(config.limits, maxBytes);
    ByteBuf buf = Unpooled.buffer();
    List<byte[]> chunks = FuzzLimits.splitByContent(input);
    BananaScanner.Result result = INCOMPLETE;
    for (byte[] chunk : chunks) {
      buf.writeBytes(chunk);
      result = scanner.scan(buf);
      if (result != INCOMPLETE) {
        break;
      }
    }
    if (result == GIVE_UP || result == COMPLETE) {
      return result;
    }
    return INCOMPLETE;
  }
}
