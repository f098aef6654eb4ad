package io.github.pb4j.benchmarks;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What {@link ChatLoad}'s members received: deliveries and their latency, duplicates, gaps and
 * the server's drop notices.
 *
 * <p><em>Thread-safe:</em> members record from their event loops, the load reads.
 */
final class ChatTally {
  /** Up to an hour, in µs: sized once, so that recording never resizes under load. */
  private static final long HIGHEST_MICROS = 3_600_000_000L;

  private final Recorder latency = new Recorder(1, HIGHEST_MICROS, 3);
  private final Histogram total = new Histogram(1, HIGHEST_MICROS, 3);
  private final LongAdder delivered = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder gaps = new LongAdder();
  private final LongAdder notices = new LongAdder();
  private final AtomicLong expected = new AtomicLong();
  private volatile boolean recording;

  void delivered(long latencyNanos) {
    delivered.increment();
    if (recording) {
      latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, latencyNanos / 1_000)));
    }
  }

  void duplicateOrReordered() {
    duplicates.increment();
  }

  void gap(int missing) {
    gaps.add(missing);
  }

  void notice(String line) {
    notices.increment();
  }

  void expect(int deliveries) {
    expected.addAndGet(deliveries);
  }

  /** Starts or stops counting latencies (warm-up deliveries are checked but not timed). */
  void recording(boolean on) {
    if (on) {
      latency.reset();
      total.reset();
    }
    recording = on;
  }

  /** Latencies (µs) recorded since the last call; also added to {@link #total()}. */
  synchronized Histogram interval() {
    Histogram h = latency.getIntervalHistogram();
    total.add(h);
    return h;
  }

  synchronized Histogram total() {
    total.add(latency.getIntervalHistogram());
    return total.copy();
  }

  long delivered() {
    return delivered.sum();
  }

  long expected() {
    return expected.get();
  }

  long duplicates() {
    return duplicates.sum();
  }

  long gaps() {
    return gaps.sum();
  }

  long notices() {
    return notices.sum();
  }
}
