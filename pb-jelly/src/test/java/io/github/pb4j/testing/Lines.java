package io.github.pb4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Lines of output as they arrive, from a process or from a {@link #printStream()}, with waits on
 * their arrival instead of sleeps. <em>Thread-safe.</em>
 */
public final class Lines {
  private final List<String> lines = new ArrayList<>(); // Guarded by this.
  private boolean closed; // Guarded by this.

  /** Adds a line. */
  public synchronized void add(String line) {
    lines.add(line);
    notifyAll();
  }

  /** Marks the end of the output. */
  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  /** Returns true once the end of the output is marked. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** Returns the lines so far. */
  public synchronized List<String> snapshot() {
    return List.copyOf(lines);
  }

  /** Waits for a line matching {@code match} (including ones already there); null on timeout. */
  public synchronized @Nullable String await(Predicate<String> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (true) {
      for (; seen < lines.size(); seen++) {
        if (match.test(lines.get(seen))) {
          return lines.get(seen);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || closed) {
        return null;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /**
   * Waits for the line at {@code index} (0 is the first); null if the output ends before it or
   * {@code timeout} passes.
   */
  public synchronized @Nullable String awaitLineAt(int index, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (lines.size() <= index) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || closed) {
        return null;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return lines.get(index);
  }

  /** Waits until there are at least {@code count} lines; returns them (fewer on timeout). */
  public synchronized List<String> awaitCount(int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (lines.size() < count && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return List.copyOf(lines);
  }

  /** Waits for the end of the output; returns all lines. */
  public synchronized List<String> awaitClosed(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return List.copyOf(lines);
  }

  /** Returns a print stream whose lines land here. */
  public PrintStream printStream() {
    return new PrintStream(new LineSplitter(), true, StandardCharsets.UTF_8);
  }

  private final class LineSplitter extends OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        add(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else if (b != '\r') {
        line.write(b);
      }
    }

    @Override
    public synchronized void close() {
      if (line.size() > 0) {
        add(line.toString(StandardCharsets.UTF_8));
        line.reset();
      }
      Lines.this.close();
    }
  }
}
