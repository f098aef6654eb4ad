package io.github.pb4j.interop.connections;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.testing.TwistedPeer;
import java.time.Duration;
import java.util.List;

/** Reads a connections peer's stdout: its {@code PROBE} lines and its log ({@code LOG} lines). */
final class ProbeLog {
  static final Duration WAIT = Duration.ofSeconds(15);

  private ProbeLog() {}

  static List<String> logLines(TwistedPeer peer) {
    return peer.stdout().snapshot().stream().filter(l -> l.startsWith("LOG ")).toList();
  }

  static long probes(TwistedPeer peer) {
    return peer.stdout().snapshot().stream().filter("PROBE"::equals).count();
  }

  /** Waits until the peer has received {@code count} probes in all. */
  static void awaitProbes(TwistedPeer peer, long count) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (probes(peer) < count) {
      if (System.nanoTime() > end) {
        throw new AssertionError("fewer than " + count + " probes within " + WAIT + ": " + peer.stdout().snapshot());
      }
      peer.awaitLine("PROBE"::equals, Duration.ofNanos(Math.max(1, end - System.nanoTime())));
    }
  }

  /** Asserts that Twisted logged nothing since {@code before} lines of its log. */
  static void assertLoggedNothingSince(TwistedPeer peer, List<String> before) {
    assertThat(logLines(peer)).as("Twisted's log while probed").isEqualTo(before);
  }
}
