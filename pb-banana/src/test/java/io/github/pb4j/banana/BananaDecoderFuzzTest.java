package io.github.pb4j.banana;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pb4j.banana.testing.ChunkedDecoding;
import io.github.pb4j.banana.testing.ChunkedDecoding.Cumulation;
import io.github.pb4j.banana.testing.ChunkedDecoding.Outcome;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link BananaDecoder} (docs/fuzzing.md). Each input is raw bytes from
 * a peer, decoded in both dialects (the pb dialect with Twisted's limits, the none dialect with
 * tight ones) and:
 *
 * <ul>
 *   <li>nothing but {@link BananaException} escapes;
 *   <li>any split of the input, in either kind of cumulation, decodes to the same values and the
 *       same error as the whole (the whole goes through the one-pass fast path, the bytes one at a
 *       time through the token-by-token decoder);
 *   <li>every value decoded encodes and decodes back to itself.
 * </ul>
 */
@Timeout(10)
class BananaDecoderFuzzTest {
  @FuzzTest
  void decode(byte[] input) {
    for (FuzzLimits config : FuzzLimits.values()) {
      Outcome whole = ChunkedDecoding.feedWhole(config.decoder(), input);
      List<byte[]> split = FuzzLimits.splitByContent(input);
      assertSame(whole, ChunkedDecoding.feed(config.decoder(), split, Cumulation.MERGE), config, "split");
      assertSame(whole, ChunkedDecoding.feed(config.decoder(), split, Cumulation.COMPOSITE), config, "composite");
      if (input.length <= 512) {
        assertSame(whole, ChunkedDecoding.feed(config.decoder(), ChunkedDecoding.bytewise(input), Cumulation.MERGE),
            config, "bytewise");
      }
      BananaEncoder encoder = new BananaEncoder(config.dialect, config.limits);
      for (Object value : whole.values()) {
        byte[] encoded = TestBytes.encode(encoder, value);
        if (encoded.length > config.limits.maxMessageBytes()) {
          // The decoder reads a bare type byte as 0 (an empty list, the int 0), as Twisted does;
          // the encoder writes the digit: a re-encoding can be longer than the input, past the limit.
          continue;
        }
        Outcome again = ChunkedDecoding.feedWhole(config.decoder(), encoded);
        assertThat(again.error()).as("%s: re-encoded %s", config, TestBytes.hex(encoded)).isNull();
        assertThat(again.values()).as("%s: round trip", config).containsExactly(value);
      }
    }
  }

  private static void assertSame(Outcome expected, Outcome actual, FuzzLimits config, String how) {
    assertThat(actual.values()).as("%s, %s: values", config, how).isEqualTo(expected.values());
    assertThat(actual.errorMessage()).as("%s, %s: error", config, how).isEqualTo(expected.errorMessage());
    if (expected.error() == null) {
      assertThat(actual.unconsumed()).as("%s, %s: bytes left waiting", config, how).isEqualTo(expected.unconsumed());
    }
  }
}
