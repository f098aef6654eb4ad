package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Python program using real Twisted, run as a peer of a test. Python runs as the interpreter in
 * system property {@code pb4j.python} (default {@code /usr/bin/python3}); scripts live in {@code
 * src/test/python}. Stdout and stderr are drained into the log; stdout lines are also kept.
 *
 * <p>Servers follow the interop convention: they take {@code --port 0}, print {@code READY <port>}
 * and exit when stdin closes. Without Twisted the test fails, naming the install step; {@code
 * -Dpb4j.interop.optOut=true} skips instead.
 *
 * <p><em>Thread-safe.</em>
 */
final class TwistedPeer implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(TwistedPeer.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

  private final String name;
  private final Process process;
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private int port;

  private TwistedPeer(String name, Process process) {
    this.name = name;
    this.process = process;
    drain(process.getInputStream(), line -> {
      logger.info("[{} stdout] {}", name, line);
      output.add(line);
      lines.add(line);
    });
    drain(process.getErrorStream(), line -> logger.info("[{} stderr] {}", name, line));
  }

  /** Starts a server script with {@code --port 0} and waits for its {@code READY <port>} line. */
  static TwistedPeer startServer(String script, String... args) throws InterruptedException {
    List<String> all = new ArrayList<>(List.of("--port", "0"));
    all.addAll(List.of(args));
    TwistedPeer peer = start(script, all);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      long left = Math.max(1, deadline - System.nanoTime());
      String line = peer.lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null) {
        peer.close();
        return fail("%s printed no READY line within %s", script, READY_TIMEOUT);
      }
      if (line.startsWith("READY ")) {
        peer.port = Integer.parseInt(line.substring("READY ".length()).trim());
        return peer;
      }
    }
  }

  /** Starts a script with {@code args}. */
  static TwistedPeer start(String script, List<String> args) {
    requireTwisted();
    List<String> command = new ArrayList<>(List.of(python(), "-u", script(script).toString()));
    command.addAll(args);
    try {
      return new TwistedPeer(script, new ProcessBuilder(command).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the port a server printed in its READY line. */
  int port() {
    return port;
  }

  /** Waits for the process to exit and returns its status. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      return fail("%s did not exit within %s; output: %s", name, timeout, output());
    }
    return process.exitValue();
  }

  /** Returns the stdout lines so far. */
  List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** Closes stdin, which tells a server to exit, and kills the process if it does not. */
  @Override
  public void close() throws InterruptedException {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      logger.debug("closing {}'s stdin: {}", name, e.toString()); // Already gone: nothing to tell.
    }
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static String python() {
    return System.getProperty("pb4j.python", "/usr/bin/python3");
  }

  /** Fails the test unless the interpreter can import Twisted PB; skips on the explicit opt-out. */
  static void requireTwisted() {
    Assumptions.assumeFalse(Boolean.getBoolean("pb4j.interop.optOut"),
        "interop with Twisted skipped: -Dpb4j.interop.optOut=true");
    int status;
    try {
      Process check = new ProcessBuilder(python(), "-c", "import twisted.spread.pb")
          .redirectErrorStream(true).start();
      check.getInputStream().readAllBytes();
      status = check.waitFor(30, TimeUnit.SECONDS) ? check.exitValue() : -1;
    } catch (IOException e) {
      status = -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = -1;
    }
    if (status != 0) {
      fail("Twisted is not importable by %s: install it with `apt-get install -y python3-twisted` "
          + "(or point -Dpb4j.python at an interpreter that has it; "
          + "-Dpb4j.interop.optOut=true skips)", python());
    }
  }

  private static Path script(String name) {
    Path path = Path.of(System.getProperty("basedir", "."), "src", "test", "python", name);
    if (!Files.isRegularFile(path)) {
      fail("python script not found: %s", path.toAbsolutePath());
    }
    return path;
  }

  private static void drain(InputStream stream, Consumer<String> sink) {
    Thread t = new Thread(() -> {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          sink.accept(line);
        }
      } catch (IOException e) {
        logger.debug("output of a python peer ended: {}", e.toString()); // The process was killed.
      }
    }, "twisted-peer-output");
    t.setDaemon(true);
    t.start();
  }
}
