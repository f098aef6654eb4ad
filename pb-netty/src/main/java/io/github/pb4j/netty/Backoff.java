package io.github.pb4j.netty;

import java.time.Duration;

/**
 * How long a {@link PbSession} waits before its next connection attempt: {@code initial *
 * multiplier^retries}, never more than {@code max}, less a random part of up to {@code jitter} of
 * it, so that many clients of a restarted server do not all come back in the same instant. The
 * delay is always between {@code (1 - jitter) * base} and {@code base}, hence never above {@code
 * max}.
 *
 * <p><em>Immutable.</em>
 */
record Backoff(Duration initial, Duration max, double multiplier, double jitter) {
  Backoff {
    BuilderChecks.positive("initialDelay", initial);
    BuilderChecks.positive("maxDelay", max);
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "maxDelay: " + max + " (expected: >= initialDelay " + initial + ")");
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier: " + multiplier + " (expected: >= 1)");
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0..1)");
    }
  }

  /**
   * Returns the delay before retry number {@code retries} (0 for the first); {@code random} is in
   * [0, 1).
   */
  Duration delay(int retries, double random) {
    double maxNanos = max.toNanos();
    double base = initial.toNanos() * Math.pow(multiplier, Math.max(0, retries));
    base = Math.min(base, maxNanos); // pow may be infinite: min() still gives max
    double nanos = base * (1.0 - jitter * Math.min(Math.max(random, 0.0), 1.0));
    return Duration.ofNanos(Math.max(1L, (long) nanos));
  }
}
