package io.github.pb4j.examples.testing;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Python program using real Twisted, run as a peer of a test: one of the examples' Python twins
 * in {@code pb-examples/src/test/python}, or a test script of the module running the test. Python
 * is the interpreter in system property {@code pb4j.python} (default {@code /usr/bin/python3}).
 * Stdout lines are collected ({@link #stdout()}); stderr goes to the log.
 *
 * <p>Servers take {@code --port 0}, print {@code READY <port>} and exit when stdin closes. Without
 * Twisted the test fails, naming the install step; {@code -Dpb4j.interop.optOut=true} skips.
 *
 * <p><em>Thread-safe.</em>
 */
public final class PythonPeer implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(PythonPeer.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

  private final String name;
  private final Process process;
  private final Lines stdout = new Lines();
  private int port;

  private PythonPeer(String name, Process process) {
    this.name = name;
    this.process = process;
    drain(
        process.getInputStream(),
        line -> {
          logger.info("[{} stdout] {}", name, line);
          stdout.add(line);
        },
        stdout::close);
    drain(process.getErrorStream(), line -> logger.info("[{} stderr] {}", name, line), () -> {});
  }

  /** Starts a server script with {@code --port 0} and waits for its {@code READY <port>} line. */
  public static PythonPeer startServer(String script, String... args) throws InterruptedException {
    List<String> all = new ArrayList<>(List.of("--port", "0"));
    all.addAll(List.of(args));
    PythonPeer peer = start(script, all);
    String ready = peer.stdout.await(line -> line.startsWith("READY "), READY_TIMEOUT);
    if (ready == null) {
      peer.close();
      return fail("%s printed no READY line within %s", script, READY_TIMEOUT);
    }
    peer.port = Integer.parseInt(ready.substring("READY ".length()).trim());
    return peer;
  }

  /** Starts a script with {@code args}. */
  public static PythonPeer start(String script, List<String> args) {
    requireTwisted();
    List<String> command = new ArrayList<>(List.of(python(), "-u", script(script).toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(Map.of("PYTHONIOENCODING", "utf-8"));
    try {
      return new PythonPeer(script, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a client script to its end and returns its stdout lines; fails unless it exits 0. */
  public static List<String> runClient(String script, int port) throws InterruptedException {
    try (PythonPeer client = start(script, List.of("--port", Integer.toString(port)))) {
      int status = client.awaitExit(Duration.ofSeconds(30));
      if (status != 0) {
        fail("%s exited with %s; stdout: %s", script, status, client.stdout().snapshot());
      }
      return client.stdout().awaitClosed(Duration.ofSeconds(5));
    }
  }

  /** Returns the port a server printed in its READY line. */
  public int port() {
    return port;
  }

  /** Returns the stdout lines. */
  public Lines stdout() {
    return stdout;
  }

  /** Waits for the process to exit and returns its status. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      return fail("%s did not exit within %s; stdout: %s", name, timeout, stdout.snapshot());
    }
    return process.exitValue();
  }

  /** Closes stdin, which tells a server to exit, and kills the process if it does not. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      logger.debug("closing {}'s stdin: {}", name, e.toString()); // Already gone: nothing to tell.
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Returns the interpreter tests run Python with. */
  public static String python() {
    return System.getProperty("pb4j.python", "/usr/bin/python3");
  }

  /** Fails the test unless the interpreter can import Twisted PB; skips on the explicit opt-out. */
  public static void requireTwisted() {
    Assumptions.assumeFalse(
        Boolean.getBoolean("pb4j.interop.optOut"),
        "interop with Twisted skipped: -Dpb4j.interop.optOut=true");
    int status;
    try {
      Process check =
          new ProcessBuilder(python(), "-c", "import twisted.spread.pb")
              .redirectErrorStream(true)
              .start();
      check.getInputStream().readAllBytes();
      status = check.waitFor(30, TimeUnit.SECONDS) ? check.exitValue() : -1;
    } catch (IOException e) {
      status = -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = -1;
    }
    if (status != 0) {
      fail(
          "Twisted is not importable by %s: install it with `apt-get install -y python3-twisted`"
              + " (or point -Dpb4j.python at an interpreter that has it; -Dpb4j.interop.optOut=true"
              + " skips)",
          python());
    }
  }

  /** Finds a script in this module's {@code src/test/python}, else in pb-examples'. */
  static Path script(String name) {
    Path base = Path.of(System.getProperty("basedir", "."));
    for (Path dir :
        List.of(base.resolve("src/test/python"), base.resolve("../pb-examples/src/test/python"))) {
      Path path = dir.resolve(name);
      if (Files.isRegularFile(path)) {
        return path;
      }
    }
    return fail("python script not found: %s", name);
  }

  private static void drain(InputStream stream, Consumer<String> sink, Runnable atEnd) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  sink.accept(line);
                }
              } catch (IOException e) {
                logger.debug(
                    "output of a python peer ended: {}", e.toString()); // The process was killed.
              } finally {
                atEnd.run();
              }
            },
            "python-peer-output");
    t.setDaemon(true);
    t.start();
  }
}
