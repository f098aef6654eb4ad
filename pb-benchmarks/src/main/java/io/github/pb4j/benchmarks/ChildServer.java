package io.github.pb4j.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A server the load tools start in a child process (pb4j's {@link ChatLoadServer} or
 * Twisted's {@code chat_load_server.py}): waits for its {@code READY <port>} line, asks it for
 * memory figures and CPU time, stops it by closing its stdin.
 *
 * <p><em>Thread-safe.</em>
 */
final class ChildServer implements AutoCloseable {
  /** Memory of the server process: resident set and (JVM only) live heap after a full GC. */
  record Stats(long rssKib, long liveHeapBytes) {}

  private final String name;
  private final Process process;
  private final ChildLines lines;
  private final int port;
  private final long startUpNanos;

  private ChildServer(String name, Process process, long started, Duration timeout)
      throws IOException {
    this.name = name;
    this.process = process;
    this.lines = new ChildLines(name + " server", process, line -> false, () -> {});
    String ready = next("READY ", timeout);
    this.startUpNanos = System.nanoTime() - started;
    this.port = Integer.parseInt(ready.substring("READY ".length()).trim());
  }

  static ChildServer start(String name, List<String> command, Duration timeout)
      throws IOException {
    long started = System.nanoTime();
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      return new ChildServer(name, process, started, timeout);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /**
   * Seconds from starting the process to its {@code READY} line: the start-up an operator waits
   * for, a warm-up included.
   */
  double startUpSeconds() {
    return startUpNanos / 1e9;
  }

  int port() {
    return port;
  }

  String name() {
    return name;
  }

  /** CPU time the server process used so far, in seconds (NaN where the OS does not tell). */
  double cpuSeconds() {
    return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
  }

  /** Asks the server for its memory figures (it collects garbage first). */
  Stats stats(Duration timeout) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write("STATS\n".getBytes(StandardCharsets.US_ASCII));
    in.flush();
    String[] parts = next("STATS ", timeout).split(" ");
    return new Stats(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
  }

  /** Asks the server for the CPU time it has used so far, in nanoseconds (nothing collected). */
  long cpuNanos(Duration timeout) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write("CPU\n".getBytes(StandardCharsets.US_ASCII));
    in.flush();
    return Long.parseLong(next("CPU ", timeout).substring("CPU ".length()).trim());
  }

  private String next(String prefix, Duration timeout) throws IOException {
    return lines.next(line -> line.startsWith(prefix), prefix.trim(), timeout);
  }

  @Override
  public void close() {
    ChildLines.stop(process);
  }
}
