package io.github.pb4j.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Twisted's side of a scenario: a Twisted PB client ({@code twisted_echo_client.py}, in a Python
 * process of its own) calling {@code echo} on a Twisted server with {@code window} calls
 * outstanding, as {@link PbEchoLoad} does on pb4j's. This JVM only steers it over the process's
 * stdin and stdout: start, stop, and how many calls completed; it issues no call itself.
 *
 * <p><em>Thread-safe.</em>
 */
final class TwistedEchoLoad extends Load {
  private static final long ANSWER_TIMEOUT_SECONDS = 30;
  private static final String EOF = "\u0000EOF";

  private final Process process;
  private final OutputStream commands;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  /** Set once the client's output ended: no reply will come. */
  private volatile boolean exited;
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
    Thread reader = new Thread(this::readOutput, "twisted-client-output");
    reader.setDaemon(true);
    reader.start();
    try {
      String ready = next("READY");
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
      lastCount = Long.parseLong(next("COUNT ").substring("COUNT ".length()).trim());
    } catch (IOException e) {
      fail(e);
    }
    return lastCount;
  }

  /** Returns the CPU time of the client process so far, in nanoseconds; -1 if unknown. */
  long cpuNanos() {
    return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
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

  /** Waits for the next reply starting with {@code prefix} (or a failure line). */
  private String next(String prefix) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_TIMEOUT_SECONDS);
    try {
      while (true) {
        if (exited && replies.isEmpty()) {
          throw new IOException("Twisted client exited");
        }
        @Nullable String line =
            replies.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new IOException("Twisted client: no '" + prefix.trim() + "' within "
              + ANSWER_TIMEOUT_SECONDS + " s");
        }
        if (line.equals(EOF)) {
          throw new IOException("Twisted client exited");
        }
        if (line.startsWith(prefix) || (prefix.equals("READY") && line.startsWith("FAILED "))) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Dispatches the client's lines: state changes here, answers to requests to the queue. */
  private void readOutput() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.equals("DRAINED")) {
          drained();
        } else if (line.startsWith("FAILED ")) {
          fail(new IllegalStateException("Twisted client: " + line.substring(7)));
          replies.add(line);
        } else {
          replies.add(line);
        }
      }
    } catch (IOException e) {
      // The process is gone; the EOF marker below says so.
    }
    exited = true;
    fail(new IllegalStateException("Twisted client exited"));
    drained();
    replies.add(EOF);
  }

  @Override
  public void close() {
    try {
      commands.close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
