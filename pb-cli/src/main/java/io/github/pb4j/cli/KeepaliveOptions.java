package io.github.pb4j.cli;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.PeerProbe;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --keepalive} and {@code --keepalive-timeout} of the commands that serve: the dead-peer
 * probe's interval and timeout ({@link PeerProbe}); {@code --keepalive 0} turns it off.
 */
final class KeepaliveOptions {
  private static final double MAX_SECONDS = Duration.ofDays(1).toSeconds();

  @Option(
      names = "--keepalive",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description =
          "Probe a client after this long without a word from it; 0 turns the probe off "
              + "(default: ${DEFAULT-VALUE}).")
  double keepaliveSeconds = 60;

  @Option(
      names = "--keepalive-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "Close a probed client that sends nothing for this long more; it is logged out "
              + "(default: ${DEFAULT-VALUE}).")
  double keepaliveTimeoutSeconds = 30;

  /** Returns the probe these options ask for. */
  PeerProbe probe() {
    if (keepaliveSeconds == 0) {
      return PeerProbe.OFF;
    }
    return PeerProbe.of(
        duration("--keepalive", keepaliveSeconds), duration("--keepalive-timeout", keepaliveTimeoutSeconds));
  }

  /** Returns server options with this probe. */
  BrokerOptions serverOptions() {
    return BrokerOptions.builder().serverProbe(probe()).build();
  }

  private static Duration duration(String option, double seconds) {
    if (!(seconds > 0) || seconds > MAX_SECONDS) {
      throw new CliException(
          PbCli.USAGE,
          option + ": " + seconds + " (expected: more than 0 and at most " + (long) MAX_SECONDS
              + " seconds" + (option.equals("--keepalive") ? ", or 0 for off)" : ")"));
    }
    return Duration.ofNanos(Math.max(1_000_000L, Math.round(seconds * 1e9)));
  }
}
