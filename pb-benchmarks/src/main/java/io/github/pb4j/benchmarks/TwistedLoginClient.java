package io.github.pb4j.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * {@link LoginLoad}'s Twisted client: {@code twisted_login_client.py} in its own Python process,
 * logging in to a chat server as a Twisted program does, sequentially or with logins in flight on
 * held connections, so that logins are also measured Twisted client against Twisted server, and
 * Twisted client against pb4j's server.
 */
final class TwistedLoginClient {
  /** What a run measured: logins answered in the measured time, per second, and failures. */
  record Result(long logins, double perSecond, long failures) {}

  /** The two ways the client logs in. */
  enum Mode {
    SEQUENTIAL,
    CONCURRENT
  }

  private TwistedLoginClient() {}

  /**
   * Logs in to the server on {@code port} ({@code users} users) for {@code warmup} seconds, then
   * for {@code seconds} measured; {@code inFlight} connections in {@link Mode#CONCURRENT}.
   *
   * @throws IOException if the client cannot start or does not finish in time
   */
  static Result run(String python, int port, int users, Mode mode, int inFlight, double warmup,
      double seconds) throws IOException {
    List<String> command =
        List.of(
            python,
            TwistedScripts.path(TwistedScripts.LOGIN_CLIENT).toString(),
            Integer.toString(port),
            Integer.toString(users),
            mode.name().toLowerCase(java.util.Locale.ROOT),
            Integer.toString(inFlight),
            Double.toString(warmup),
            Double.toString(seconds));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      ChildLines lines = new ChildLines("twisted-login-client", process, line -> false, () -> {});
      // Beyond the run itself: Python's start, and the last logins' answers.
      Duration timeout = Duration.ofMillis((long) ((warmup + seconds) * 1000) + 60_000);
      String[] parts =
          lines.next(line -> line.startsWith("RESULT "), "RESULT", timeout).split(" ");
      long logins = Long.parseLong(parts[1]);
      double measured = Double.parseDouble(parts[2]);
      return new Result(logins, logins / measured, Long.parseLong(parts[3]));
    } finally {
      ChildLines.stop(process);
    }
  }
}
