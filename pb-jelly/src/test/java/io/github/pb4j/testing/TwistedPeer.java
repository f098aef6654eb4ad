package io.github.pb4j.jelly.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Python peer process running real Twisted, for interop tests: starts {@code python3 script
 * args...}, waits for its {@code READY} line, exchanges lines over stdin/stdout, and kills it on
 * {@link #close()}. stderr goes to the test log.
 *
 * <p>Peer conventions ({@code STYLE.md} §11): the script prints {@code READY} (or {@code READY
 * <port>}) once it is ready and exits when its stdin closes. The interpreter is the system
 * property {@code pb4j.python} (default {@code /usr/bin/python3}).
 *
 * <pre>{@code
 * TwistedPeer.requireTwisted();
 * try (TwistedPeer peer = TwistedPeer.start(Path.of("src/test/python/jelly_peer.py"), List.of())) {
 *   peer.send("ECHO 0181");
 *   String reply = peer.receive(Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Without Twisted, {@link #requireTwisted()} fails the test with the install command, unless
 * the system property {@code pb4j.interop.optOut} is {@code true}, in which case the test is
 * skipped.
 *
 * <p><em>Not thread-safe:</em> one test thread talks to one peer.
 */
public final class TwistedPeer implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(TwistedPeer.class);

  /** The line a peer prints when it is ready. */
  public static final String READY = "READY";
  /** How to install Twisted where it is missing. */
  public static final String INSTALL_HINT = "apt-get install -y python3-twisted";

  private static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(30);
  private static final String EOF = new String("<eof>"); // identity marks the end of stdout

  private final Process process;
  private final String name;
  private final Writer stdin;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final List<Thread> drains = new ArrayList<>();
  private final String readyLine;

  private TwistedPeer(Process process, String name, Duration readyTimeout) throws IOException {
    this.process = process;
    this.name = name;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    drains.add(drain(process.getInputStream(), name + "-stdout", line -> stdout.add(line), true));
    drains.add(drain(process.getErrorStream(), name + "-stderr", line -> logger.info("[{}] {}", name, line), false));
    String first;
    try {
      first = receive(readyTimeout);
    } catch (RuntimeException | Error e) {
      process.destroyForcibly();
      close();
      throw e;
    }
    if (!first.equals(READY) && !first.startsWith(READY + " ")) {
      process.destroyForcibly();
      close();
      throw new IllegalStateException(name + ": expected " + READY + " but the peer printed: " + first
          + (first.startsWith("NO_TWISTED") ? " (install Twisted: " + INSTALL_HINT + ")" : ""));
    }
    this.readyLine = first;
  }

  /** Returns the Python interpreter the peers run with. */
  public static String python() {
    return System.getProperty("pb4j.python", "/usr/bin/python3");
  }

  /** Returns true if interop tests may be skipped where Twisted is missing. */
  public static boolean optedOut() {
    return Boolean.getBoolean("pb4j.interop.optOut");
  }

  /**
   * Checks that {@link #python()} can import Twisted. If not, fails the calling test with the
   * install command, or skips it when {@code -Dpb4j.interop.optOut=true}.
   */
  public static void requireTwisted() {
    requireTwisted(python(), optedOut());
  }

  // Visible for testing.
  static void requireTwisted(String python, boolean optOut) {
    String problem = twistedProblem(python);
    if (problem == null) {
      return;
    }
    String message = "real Twisted is needed for this interop test but " + problem
        + "; install it with: " + INSTALL_HINT + " (or run with -Dpb4j.python=<python3 with Twisted>;"
        + " -Dpb4j.interop.optOut=true skips interop tests)";
    Assumptions.assumeFalse(optOut, message);
    throw new AssertionError(message);
  }

  private static @Nullable String twistedProblem(String python) {
    try {
      Process p = new ProcessBuilder(python, "-c", "import twisted.spread.pb")
          .redirectErrorStream(true)
          .start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return python + " did not answer within 30 s";
      }
      return p.exitValue() == 0 ? null : python + " cannot import twisted.spread.pb (" + output + ")";
    } catch (IOException e) {
      return python + " cannot be run (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "the check was interrupted";
    }
  }

  /** Starts {@code python script args...} and waits up to 30 s for its {@code READY} line. */
  public static TwistedPeer start(Path script, List<String> args) throws IOException {
    return start(script, args, DEFAULT_READY_TIMEOUT);
  }

  /** Starts {@code python script args...} and waits up to {@code readyTimeout} for {@code READY}. */
  public static TwistedPeer start(Path script, List<String> args, Duration readyTimeout) throws IOException {
    if (!Files.isRegularFile(script)) {
      throw new IllegalArgumentException("peer script not found: " + script.toAbsolutePath());
    }
    List<String> command = new ArrayList<>();
    command.add(python());
    command.add("-u");
    command.add(script.toString());
    command.addAll(args);
    logger.info("starting peer: {}", String.join(" ", command));
    Process process = new ProcessBuilder(command).start();
    return new TwistedPeer(process, script.getFileName().toString(), readyTimeout);
  }

  /** Returns the peer's READY line, e.g. {@code READY} or {@code READY 40123}. */
  public String readyLine() {
    return readyLine;
  }

  /**
   * Returns the port announced as {@code READY <port>}.
   *
   * @throws IllegalStateException if the peer announced none
   */
  public int port() {
    String[] parts = readyLine.split(" ");
    if (parts.length < 2) {
      throw new IllegalStateException(name + " announced no port: " + readyLine);
    }
    return Integer.parseInt(parts[1]);
  }

  /** Sends one line to the peer's stdin. */
  public void send(String line) throws IOException {
    stdin.write(line);
    stdin.write('\n');
    stdin.flush();
  }

  /**
   * Returns the next line of the peer's stdout.
   *
   * @throws IllegalStateException if the peer exited or printed nothing within {@code timeout}
   */
  public String receive(Duration timeout) {
    String line;
    try {
      line = stdout.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted waiting for output", e);
    }
    if (line == null) {
      throw new IllegalStateException(name + ": no output within " + timeout);
    }
    if (line == EOF) {
      stdout.add(EOF);
      throw new IllegalStateException(name + ": the peer exited" + exitStatus());
    }
    return line;
  }

  /** Returns true while the process runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  private String exitStatus() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? " with status " + process.exitValue() : "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Closes the peer's stdin (it should exit), waits up to 5 s, then kills it. */
  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException e) {
      logger.debug("[{}] closing stdin failed; the process is killed below", name, e);
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        logger.warn("[{}] did not exit after stdin closed; killing it", name);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      for (Thread t : drains) {
        t.join(5_000);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private interface LineSink {
    void accept(String line);
  }

  private Thread drain(InputStream in, String threadName, LineSink sink, boolean markEnd) {
    Thread t = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = reader.readLine()) != null; ) {
          sink.accept(line);
        }
      } catch (IOException e) {
        logger.debug("[{}] stream closed", threadName, e);
      } finally {
        if (markEnd) {
          stdout.add(EOF);
        }
      }
    }, threadName);
    t.setDaemon(true);
    t.start();
    return Objects.requireNonNull(t);
  }
}
