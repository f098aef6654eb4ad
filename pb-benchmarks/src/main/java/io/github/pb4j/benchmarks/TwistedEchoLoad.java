package io.github.pb4j.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Twisted's side of a scenario: a Twisted PB client ({@code twisted_echo_client.py}, in a Python
 * process of its own) calling {@code echo} on a Twisted server with {@code window} calls
 * outstanding, as {@link PbEchoLoad} does on pb4j's. This JVM only steers it over the process's
 * stdin and stdout: start, stop, and how many calls completed; it issues no call itself.
 *
 * <p><em>Thread-safe.</em>
 */
final class TwistedEchoLoad extends Load {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final OutputStream commands;
  private final ChildLines replies;
  /** The last count the client gave, returned once it can give none. */
  private long lastCount;

  /**
   * Starts the client with {@code python}, connected to the Twisted server on {@code port};
   * {@code payload} is {@code hello} or {@code anchor}. Returns once its first echo came back
   * equal.
   */
  TwistedEchoLoad(String python, int port, int window, String payload) throws IOException {
    this.process =
        new ProcessBuilder(
                List.of(
                    python,
                    TwistedScripts.path(TwistedScripts.ECHO_CLIENT).toString(),
                    Integer.toString(port),
                    Integer.toString(window),
                    payload))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    this.commands = process.getOutputStream();
    this.replies = new ChildLines("Twisted client", process, this::handled, this::exited);
    try {
      String ready = replies.next(
          line -> line.startsWith("READY") || line.startsWith("FAILED "), "READY", TIMEOUT);
      if (!ready.equals("READY")) {
        throw new IOException("Twisted client: " + ready);
      }
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  @Override
  void issue() {
    send("START");
  }

  @Override
  void stopIssuing() {
    send("STOP");
  }

  @Override
  synchronized long completed() {
    if (failure() != null) {
      return lastCount; // The slice is lost anyway; no waiting on a client that may be gone.
    }
    send("COUNT");
    try {
      String count = replies.next(line -> line.startsWith("COUNT "), "COUNT", TIMEOUT);
      lastCount = Long.parseLong(count.substring("COUNT ".length()).trim());
    } catch (IOException e) {
      fail(e);
    }
    return lastCount;
  }

  /** Returns the CPU time of the Python client process so far, in nanoseconds; -1 if unknown. */
  @Override
  long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
  }

  private void send(String command) {
    try {
      synchronized (commands) {
        commands.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
        commands.flush();
      }
    } catch (IOException e) {
      fail(new UncheckedIOException("Twisted client gone", e));
      drained(); // Nothing will come back.
    }
  }

  /** Deals with the client's state changes as they come; answers to requests are queued. */
  private boolean handled(String line) {
    if (line.equals("DRAINED")) {
      drained();
      return true;
    }
    if (line.startsWith("FAILED ")) {
      fail(new IllegalStateException("Twisted client: " + line.substring("FAILED ".length())));
    }
    return false;
  }

  private void exited() {
    fail(new IllegalStateException("Twisted client exited"));
    drained();
  }

  @Override
  public void close() {
    ChildLines.stop(process);
  }
}
