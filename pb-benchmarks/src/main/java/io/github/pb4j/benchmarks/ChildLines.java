package io.github.pb4j.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The lines a child process (a load tool's server or client) prints on stdout, read by a daemon
 * thread: some handled as they come, the others queued for whoever waits for an answer.
 *
 * <p><em>Thread-safe.</em>
 */
final class ChildLines {
  private static final String EOF = "\u0000EOF";
  private static final long EXIT_WAIT_SECONDS = 10;

  private final String name;
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private volatile boolean ended;

  /**
   * Starts reading {@code process}'s output; {@code handled} sees each line first and returns
   * true for those it has dealt with (they are not queued); {@code onEnd} runs when the output
   * ends.
   */
  ChildLines(String name, Process process, Predicate<String> handled, Runnable onEnd) {
    this.name = name;
    this.process = process;
    Thread reader = new Thread(() -> read(handled, onEnd), name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Returns the next queued line that {@code wanted} accepts, dropping the others.
   *
   * @throws IOException if the process's output ended, or no such line came within {@code
   *     timeout}
   */
  String next(Predicate<String> wanted, String what, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        if (ended && lines.isEmpty()) {
          throw exited();
        }
        @Nullable String line =
            lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new IOException(name + ": no '" + what + "' line within " + timeout);
        }
        if (line.equals(EOF)) {
          throw exited();
        }
        if (wanted.test(line)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Stops a child as the load tools' children expect: closes its stdin, their signal to exit,
   * and destroys it if it has not exited 10 s later. Returns what closing its stdin failed with
   * (the child is destroyed then), or null; a caller that only wants the child gone ignores it.
   */
  static @Nullable IOException stop(Process process) {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    return null;
  }

  private IOException exited() throws InterruptedException {
    return new IOException(name + " exited (status " + process.waitFor() + ")");
  }

  private void read(Predicate<String> handled, Runnable onEnd) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (!handled.test(line)) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      // The process is gone; the end marker below says so.
    }
    ended = true;
    onEnd.run();
    lines.add(EOF);
  }
}
