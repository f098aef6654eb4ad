package io.github.pb4j.examples;

import io.github.pb4j.RemoteFailureException;
import io.github.pb4j.cred.LoginFailedException;
import io.github.pb4j.netty.PbConnectException;
import io.github.pb4j.netty.PbServer;
import io.github.pb4j.netty.Tls;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an example as a program: parses {@link ExampleArgs}, starts the server or runs the client,
 * reports failures on stderr and turns them into the exit codes of {@code pb}: 0 ok, 1 remote or
 * login failure, 2 usage error, 3 cannot connect (or, for a server, cannot listen).
 *
 * <p>A server prints {@code READY <port>} on {@code out} once listening, then serves until {@code
 * stop} completes (from {@link #serverMain}: until the JVM is asked to exit, e.g. by Ctrl-C).
 *
 * <p><em>Thread-safe</em> (stateless).
 */
public final class ExampleRunner {
  /** How long an example client waits for any one answer. */
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** Exit code of a remote or login failure. */
  public static final int FAILED = 1;

  /** Exit code of a usage error. */
  public static final int USAGE = 2;

  /** Exit code when the server cannot be reached (or a server cannot listen). */
  public static final int CANNOT_CONNECT = 3;

  private ExampleRunner() {}

  /** Starts an example server on {@link ExampleArgs#serverBuilder()}; returns the server. */
  @FunctionalInterface
  public interface ServerStarter {
    PbServer start(ExampleArgs args, PrintStream out);
  }

  /** Runs an example client, connecting with {@link ExampleArgs#client()}, to the end. */
  @FunctionalInterface
  public interface ClientBody {
    void run(ExampleArgs args, PrintStream out) throws Exception;
  }

  /** Runs a server example until {@code stop} completes; returns the exit code. */
  public static int runServer(
      String name,
      String[] args,
      ServerStarter starter,
      PrintStream out,
      PrintStream err,
      CompletionStage<?> stop) {
    ExampleArgs options;
    try {
      options = ExampleArgs.parse(args, true);
    } catch (IllegalArgumentException e) {
      err.println(name + ": " + e.getMessage());
      err.println(ExampleArgs.usage(name, true));
      return USAGE;
    }
    if (options.help()) {
      out.println(ExampleArgs.usage(name, true));
      return 0;
    }
    return serve(name, options, starter, out, err, stop);
  }

  /** Runs a server example, its command line parsed, until {@code stop} completes; returns the exit code. */
  public static int serve(
      String name,
      ExampleArgs options,
      ServerStarter starter,
      PrintStream out,
      PrintStream err,
      CompletionStage<?> stop) {
    PbServer server;
    try {
      server = starter.start(options, out);
    } catch (UncheckedIOException e) {
      err.println(
          name
              + ": cannot listen on "
              + options.host()
              + ":"
              + options.port()
              + ": "
              + e.getCause().getMessage());
      return CANNOT_CONNECT;
    }
    try {
      out.println("READY " + server.port());
      out.flush();
      stop.toCompletableFuture().join();
    } finally {
      server.close();
    }
    return 0;
  }

  /** Runs a client example; returns the exit code. */
  public static int runClient(
      String name, String[] args, ClientBody body, PrintStream out, PrintStream err) {
    ExampleArgs options;
    try {
      options = ExampleArgs.parse(args, false);
    } catch (IllegalArgumentException e) {
      err.println(name + ": " + e.getMessage());
      err.println(ExampleArgs.usage(name, false));
      return USAGE;
    }
    if (options.help()) {
      out.println(ExampleArgs.usage(name, false));
      return 0;
    }
    return runClient(name, options, body, out, err);
  }

  /** Runs a client example, its command line parsed; returns the exit code. */
  public static int runClient(
      String name, ExampleArgs options, ClientBody body, PrintStream out, PrintStream err) {
    try {
      body.run(options, out);
      return 0;
    } catch (Exception e) {
      Throwable cause = unwrap(e);
      err.println(name + ": " + describe(cause));
      return exitCode(cause);
    } finally {
      out.flush();
    }
  }

  /** The {@code main} of a server example: serves until the JVM is asked to exit. */
  public static void serverMain(String name, String[] args, ServerStarter starter) {
    CompletableFuture<Void> stop = new CompletableFuture<>();
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.complete(null);
                  try {
                    closed.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                name + "-shutdown"));
    int code;
    try {
      code = runServer(name, args, starter, System.out, System.err, stop);
    } finally {
      closed.countDown();
    }
    if (code != 0) {
      System.exit(code);
    }
  }

  /** The {@code main} of a client example: runs it and exits with its exit code. */
  public static void clientMain(String name, String[] args, ClientBody body) {
    System.exit(runClient(name, args, body, System.out, System.err));
  }

  /**
   * Waits up to {@link #TIMEOUT} for {@code future}; rethrows its failure unwrapped.
   *
   * @throws Exception the future's failure, or {@link TimeoutException}
   */
  public static <T> T await(Future<T> future) throws Exception {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  /**
   * Returns the cause inside {@link ExecutionException} and {@link CompletionException} wrappers.
   */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof ExecutionException || t instanceof CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Returns the exit code for a failure: {@link #CANNOT_CONNECT} or {@link #FAILED}. */
  public static int exitCode(Throwable failure) {
    Throwable t = unwrap(failure);
    return t instanceof PbConnectException || Tls.explain(t, null).isPresent()
        ? CANNOT_CONNECT
        : FAILED;
  }

  /** Returns a one-line description of a failure for stderr. */
  public static String describe(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof PbConnectException) {
      return t.getMessage();
    }
    Optional<String> tls = Tls.explain(t, null);
    if (tls.isPresent()) {
      return tls.get();
    }
    if (t instanceof LoginFailedException l) {
      String text = l.twistedValue(); // the peer's text; the type says the rest
      String type = l.twistedType();
      return "login failed: "
          + type.substring(type.lastIndexOf('.') + 1)
          + (text == null || text.isEmpty() ? "" : ": " + text);
    }
    if (t instanceof RemoteFailureException r) {
      return "remote error: " + r.remoteType() + ": " + r.remoteValue();
    }
    if (t instanceof TimeoutException) {
      return "no answer within " + TIMEOUT.toSeconds() + " s";
    }
    String text = t.getMessage();
    return t.getClass().getSimpleName() + (text == null ? "" : ": " + text);
  }
}
