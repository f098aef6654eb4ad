package io.github.pb4j;

import java.time.Duration;
import java.util.Objects;

/**
 * How a connection notices a dead peer: after {@link #interval()} in which nothing arrived from
 * the peer, it sends a probe the peer answers at once, and closes the connection if nothing
 * arrives within {@link #timeout()} more. Pending calls then fail with {@link
 * ConnectionLostException}, and disconnect callbacks and avatar logouts run, as for any lost
 * connection.
 *
 * <p>The probe is a call to an object id no PB peer ever hands out ({@code -1}): Twisted 22.4 and
 * later, and pb4j, answer it with an {@code Invalid Object ID} error at once, run nothing and log
 * nothing. Any bytes from the peer count as a sign of life, so a busy connection is never probed.
 * See docs/connections.md.
 *
 * <p><em>Immutable.</em>
 *
 * @param interval silence, in which nothing arrived from the peer, before a probe is sent; zero
 *     turns the probe off
 * @param timeout how long the peer then has to send anything
 */
public record PeerProbe(Duration interval, Duration timeout) {
  private static final Duration MAX = Duration.ofDays(1);

  /** Never probes. */
  public static final PeerProbe OFF = new PeerProbe(Duration.ZERO, Duration.ZERO);

  /** A server's default: a probe after 60 s of silence, closed 30 s later without an answer. */
  public static final PeerProbe SERVER_DEFAULT = new PeerProbe(Duration.ofSeconds(60), Duration.ofSeconds(30));

  /** Checks the durations: both zero (off), or both more than zero and at most one day. */
  public PeerProbe {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    boolean off = interval.isZero() && timeout.isZero();
    if (!off && (!isPositive(interval) || !isPositive(timeout))) {
      throw new IllegalArgumentException("probe: interval " + interval + ", timeout " + timeout
          + " (expected: both above zero and at most 1 day, or both zero for off)");
    }
  }

  private static boolean isPositive(Duration d) {
    return !d.isNegative() && !d.isZero() && d.compareTo(MAX) <= 0;
  }

  /** Probes after {@code interval} of silence and closes after {@code timeout} more. */
  public static PeerProbe of(Duration interval, Duration timeout) {
    return new PeerProbe(interval, timeout);
  }

  /** Returns true unless this is {@link #OFF}. */
  public boolean enabled() {
    return !interval.isZero();
  }
}
