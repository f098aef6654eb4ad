package io.github.pb4j.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Python program using real Twisted, run as a peer of a test: starts {@code python -u script
 * args...}, optionally waits for its {@code READY} line, exchanges lines over stdin/stdout, and
 * stops it on {@link #close()}. Stdout lines are kept ({@link #stdout()}) and logged; stderr goes
 * to the log.
 *
 * <p>Peer conventions ({@code STYLE.md} §11): the script prints {@code READY} (servers: {@code
 * READY <port>}, after taking {@code --port 0}) once it is ready and exits when its stdin closes.
 * A script is named by file name, found in the running module's {@code src/test/python}, or by a
 * path (absolute, or relative to the module). The interpreter is the system property {@code
 * pb4j.python} (default {@code /usr/bin/python3}).
 *
 * <pre>{@code
 * try (TwistedPeer server = TwistedPeer.startServer("echo_server.py")) {
 *   client.connect(server.port());
 * }
 * try (TwistedPeer peer = TwistedPeer.startAndAwaitReady("jelly_peer.py", List.of())) {
 *   peer.send("ECHO 0181");
 *   String reply = peer.receive(Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Without Twisted, starting a peer (or {@link #requireTwisted()}) fails the test with the
 * install command, unless the system property {@code pb4j.interop.optOut} is {@code true}, in
 * which case the test is skipped.
 *
 * <p><em>Thread-safe.</em>
 */
public final class TwistedPeer implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(TwistedPeer.class);

  /** The line a peer prints when it is ready, alone or followed by a space and its port. */
  public static final String READY = "READY";
  /** How to install Twisted where it is missing. */
  public static final String INSTALL_HINT = "apt-get install -y python3-twisted";
  /** How to install Twisted's TLS where it is missing. */
  public static final String TLS_INSTALL_HINT =
      "apt-get install -y python3-openssl python3-service-identity";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  /** Interpreters known to import Twisted; checked once per test JVM. */
  private static final Set<String> TWISTED_OK = ConcurrentHashMap.newKeySet();
  /** Interpreters known to import Twisted's TLS; checked once per test JVM. */
  private static final Set<String> TWISTED_TLS_OK = ConcurrentHashMap.newKeySet();

  private final String name;
  private final Process process;
  private final Lines stdout = new Lines();
  private final List<Thread> drains = new ArrayList<>();
  private final Object readLock = new Object();
  private int consumed; // Guarded by readLock: stdout lines returned by receive/awaitLine so far.
  private volatile @Nullable String readyLine;

  private TwistedPeer(String name, Process process) {
    this.name = name;
    this.process = process;
    drains.add(
        drain(
            process.getInputStream(),
            name + "-stdout",
            line -> {
              logger.info("[{} stdout] {}", name, line);
              stdout.add(line);
            },
            stdout::close));
    drains.add(
        drain(
            process.getErrorStream(),
            name + "-stderr",
            line -> logger.info("[{} stderr] {}", name, line),
            () -> {}));
  }

  /** Starts {@code script args...} without waiting for anything (e.g. a client script). */
  public static TwistedPeer start(String script, List<String> args) {
    requireTwisted();
    Path path = script(script);
    List<String> command = new ArrayList<>(List.of(python(), "-u", path.toString()));
    command.addAll(args);
    logger.info("starting peer: {}", String.join(" ", command));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("PYTHONIOENCODING", "utf-8");
    try {
      return new TwistedPeer(path.getFileName().toString(), builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("starting " + path, e);
    }
  }

  /** Starts {@code script args...} and waits up to 30 s for its {@code READY} line. */
  public static TwistedPeer startAndAwaitReady(String script, List<String> args) {
    return startAndAwaitReady(script, args, READY_TIMEOUT);
  }

  /**
   * Starts {@code script args...} and waits up to {@code readyTimeout} for its {@code READY} line;
   * lines before it are kept in {@link #stdout()}.
   *
   * @throws IllegalStateException if the peer exits or prints no {@code READY} line in time; the
   *     process is killed
   */
  public static TwistedPeer startAndAwaitReady(
      String script, List<String> args, Duration readyTimeout) {
    TwistedPeer peer = start(script, args);
    try {
      peer.awaitReady(readyTimeout);
    } catch (RuntimeException | Error e) {
      peer.process.destroyForcibly();
      peer.close();
      throw e;
    }
    return peer;
  }

  /**
   * Starts a server script with {@code --port 0 args...} and waits for its {@code READY <port>}
   * line.
   */
  public static TwistedPeer startServer(String script, String... args) {
    List<String> all = new ArrayList<>(List.of("--port", "0"));
    all.addAll(List.of(args));
    TwistedPeer peer = startAndAwaitReady(script, all);
    try {
      peer.port(); // Fails unless the server announced its port.
    } catch (IllegalStateException e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  /**
   * Runs a client script with {@code --port port} to its end and returns its stdout lines.
   *
   * @throws AssertionError unless it exits with status 0 within 30 s
   */
  public static List<String> runClient(String script, int port) throws InterruptedException {
    try (TwistedPeer client = start(script, List.of("--port", Integer.toString(port)))) {
      int status = client.awaitExit(CLIENT_TIMEOUT);
      if (status != 0) {
        throw new AssertionError(
            script + " exited with " + status + "; stdout: " + client.stdout.snapshot());
      }
      return client.stdout.awaitClosed(STOP_TIMEOUT);
    }
  }

  /** Returns the Python interpreter the peers run with. */
  public static String python() {
    return System.getProperty("pb4j.python", "/usr/bin/python3");
  }

  /** Returns true if tests needing Twisted may be skipped where it is missing. */
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
    if (TWISTED_OK.contains(python)) {
      return;
    }
    String problem = twistedProblem(python);
    if (problem == null) {
      TWISTED_OK.add(python);
      return;
    }
    String message =
        "real Twisted is needed for this interop test but "
            + problem
            + "; install it with: "
            + INSTALL_HINT
            + " (or run with -Dpb4j.python=<python3 with Twisted>;"
            + " -Dpb4j.interop.optOut=true skips interop tests)";
    Assumptions.assumeFalse(optOut, message);
    throw new AssertionError(message);
  }

  /**
   * Checks that {@link #python()} has Twisted's TLS: pyOpenSSL and service_identity, which
   * Twisted's {@code ssl:} endpoints and {@code optionsForClientTLS} need. If not, fails the
   * calling test with the install command (skips it with {@code -Dpb4j.interop.optOut=true}).
   */
  public static void requireTwistedTls() {
    requireTwisted();
    String python = python();
    if (TWISTED_TLS_OK.contains(python)) {
      return;
    }
    String problem = importProblem(python, "OpenSSL, service_identity, twisted.internet.ssl");
    if (problem == null) {
      TWISTED_TLS_OK.add(python);
      return;
    }
    String message = "Twisted's TLS is needed for this interop test but " + problem
        + "; install it with: " + TLS_INSTALL_HINT;
    Assumptions.assumeFalse(optedOut(), message);
    throw new AssertionError(message);
  }

  /** Returns the peer's READY line, e.g. {@code READY} or {@code READY 40123}. */
  public String readyLine() {
    String line = readyLine;
    if (line == null) {
      throw new IllegalStateException(name + " was not started awaiting " + READY);
    }
    return line;
  }

  /**
   * Returns the port announced as {@code READY <port>}.
   *
   * @throws IllegalStateException if the peer announced none
   */
  public int port() {
    String line = readyLine();
    String rest = line.substring(READY.length()).trim();
    if (rest.isEmpty() || !rest.chars().allMatch(Character::isDigit)) {
      throw new IllegalStateException(name + " announced no port: " + line);
    }
    return Integer.parseInt(rest);
  }

  /** Sends one line to the peer's stdin. */
  public void send(String line) {
    OutputStream stdin = process.getOutputStream();
    synchronized (stdin) {
      try {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("writing to " + name, e);
      }
    }
  }

  /**
   * Returns the next stdout line not yet returned by this method or {@link #awaitLine}.
   *
   * @throws IllegalStateException if the peer exited or printed nothing within {@code timeout}
   */
  public String receive(Duration timeout) {
    return next(line -> true, timeout, "output");
  }

  /**
   * Returns the next stdout line matching {@code test}; earlier lines are passed over.
   *
   * @throws IllegalStateException if the peer exited or printed no such line within {@code
   *     timeout}
   */
  public String awaitLine(Predicate<String> test, Duration timeout) {
    return next(test, timeout, "expected line");
  }

  /** Returns every stdout line so far, as it arrives; waits on it never consume lines. */
  public Lines stdout() {
    return stdout;
  }

  /** Returns true while the process runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for the process to exit and returns its status.
   *
   * @throws AssertionError if it runs longer than {@code timeout}; it is killed
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          name + " did not exit within " + timeout + "; stdout: " + stdout.snapshot());
    }
    return process.exitValue();
  }

  /** Closes the peer's stdin (it should exit), waits up to 5 s, then kills it. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      logger.debug("[{}] closing stdin failed; the process is killed below", name, e);
    }
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        logger.warn("[{}] did not exit after stdin closed; killing it", name);
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      for (Thread t : drains) {
        t.join(STOP_TIMEOUT.toMillis());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady(Duration timeout) {
    try {
      readyLine = next(l -> l.equals(READY) || l.startsWith(READY + " "), timeout, READY + " line");
    } catch (IllegalStateException e) {
      if (stdout.snapshot().stream().anyMatch(l -> l.startsWith("NO_TWISTED"))) {
        throw new IllegalStateException(
            e.getMessage() + " (install Twisted: " + INSTALL_HINT + ")", e);
      }
      throw e;
    }
  }

  private String next(Predicate<String> test, Duration timeout, String expected) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (readLock) {
      while (true) {
        String line;
        try {
          line = stdout.awaitLineAt(consumed, Duration.ofNanos(deadline - System.nanoTime()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(name + ": interrupted waiting for " + expected, e);
        }
        if (line == null) {
          String why =
              stdout.isClosed()
                  ? "the peer exited" + exitStatus() + " before printing the " + expected
                  : "printed no " + expected + " within " + timeout;
          throw new IllegalStateException(name + ": " + why + "; stdout: " + stdout.snapshot());
        }
        consumed++;
        if (test.test(line)) {
          return line;
        }
      }
    }
  }

  private String exitStatus() {
    try {
      return process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          ? " with status " + process.exitValue()
          : "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static @Nullable String twistedProblem(String python) {
    return importProblem(python, "twisted.spread.pb");
  }

  private static @Nullable String importProblem(String python, String modules) {
    try {
      Process p =
          new ProcessBuilder(python, "-c", "import " + modules)
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return python + " did not answer within 30 s";
      }
      return p.exitValue() == 0
          ? null
          : python + " cannot import " + modules + " (" + output + ")";
    } catch (IOException e) {
      return python + " cannot be run (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "the check was interrupted";
    }
  }

  /** Resolves a script name in the module's {@code src/test/python}, or a path to a script. */
  private static Path script(String script) {
    Path base = Path.of(System.getProperty("basedir", "."));
    Path given = Path.of(script);
    Path path =
        given.getNameCount() == 1 && !given.isAbsolute()
            ? base.resolve("src/test/python").resolve(given)
            : base.resolve(given);
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("peer script not found: " + path.toAbsolutePath());
    }
    return path;
  }

  private static Thread drain(
      InputStream in, String threadName, Consumer<String> sink, Runnable atEnd) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                  sink.accept(line);
                }
              } catch (IOException e) {
                logger.debug("[{}] stream closed", threadName, e); // The process was killed.
              } finally {
                atEnd.run();
              }
            },
            threadName);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
