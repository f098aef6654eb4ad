package io.github.pb4j.banana;

import io.github.pb4j.banana.internal.BananaReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The two settings every Banana fuzz target runs an input under: what a pb connection uses, and
 * limits small enough that short inputs reach each of them.
 */
enum FuzzLimits {
  /** The pb dialect with Twisted's limits, as on a connection. */
  PB_DEFAULT(Dialect.PB, BananaLimits.DEFAULT),
  /** The none dialect with limits short inputs reach: 8 prefix bytes, 64, 256 bytes, depth 6. */
  NONE_TIGHT(Dialect.NONE, new BananaLimits(8, 64, 256, 6));

  final Dialect dialect;
  final BananaLimits limits;

  FuzzLimits(Dialect dialect, BananaLimits limits) {
    this.dialect = dialect;
    this.limits = limits;
  }

  BananaDecoder decoder() {
    return new BananaDecoder(limits, dialect);
  }

  BananaReader reader() {
    return new BananaReader(limits, dialect);
  }

  /**
   * Cuts {@code input} into up to four chunks at offsets taken from its own bytes, so that the
   * fuzzer steers the cuts and a saved input replays them exactly.
   */
  static List<byte[]> splitByContent(byte[] input) {
    List<byte[]> chunks = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < 3 && from < input.length; i++) {
      int cut = from + 1 + Math.floorMod(input[(from * 7 + i) % input.length], Math.max(1, input.length - from));
      cut = Math.min(cut, input.length);
      chunks.add(Arrays.copyOfRange(input, from, cut));
      from = cut;
    }
    chunks.add(Arrays.copyOfRange(input, from, input.length));
    return chunks;
  }
}
