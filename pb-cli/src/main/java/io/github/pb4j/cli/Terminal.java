package io.github.pb4j.cli;

import io.github.pb4j.examples.chat.ChatText;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * What a command talks to: stdin (one shared reader, so a password line and the lines after it come
 * from the same buffer), stdout, stderr, the environment, the console for password prompts, and the
 * signal that a server should stop. {@link #system()} is the process's; tests make their own with
 * {@link #of}.
 *
 * <p><em>Thread-safe.</em>
 */
final class Terminal {
  private final InputStream in;
  private final BufferedReader stdin;
  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;
  private final @Nullable Console console;
  private final CompletableFuture<@Nullable Void> shutdown = new CompletableFuture<>();
  private final CountDownLatch finished = new CountDownLatch(1);

  private Terminal(
      InputStream in,
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      @Nullable Console console) {
    this.in = in;
    this.stdin = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.env = Map.copyOf(env);
    this.console = console;
  }

  /**
   * Returns the process's terminal. Its shutdown signal fires when the JVM is asked to exit
   * (Ctrl-C, SIGTERM), which then waits up to 10 seconds for {@link #finished()}.
   */
  static Terminal system() {
    Terminal t = new Terminal(System.in, System.out, System.err, System.getenv(), System.console());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  t.shutdown.complete(null);
                  try {
                    t.finished.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "pb-shutdown"));
    return t;
  }

  /** Returns a terminal without a console, for tests and embedding. */
  static Terminal of(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    return new Terminal(in, out, err, env, null);
  }

  BufferedReader stdin() {
    return stdin;
  }

  /** Reads stdin to its end as bytes; for binary input, when {@link #stdin()} is not used. */
  byte[] stdinBytes() throws IOException {
    return in.readAllBytes();
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  /**
   * Returns text that came from a peer (a chat message, a name, an error a server chose) ready to
   * print as one line: controls, line breaks and bidirectional controls become visible escapes, by
   * the chat's display rule ({@link ChatText}), so a hostile server cannot move the cursor,
   * recolour the terminal or fake a line.
   */
  static String printable(String text) {
    return ChatText.neutralise(text);
  }

  /** Returns an environment variable, if set and not empty. */
  Optional<String> env(String name) {
    String value = env.get(name);
    return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** Returns the console to prompt on, if stdin and stdout are a terminal. */
  Optional<Console> console() {
    return Optional.ofNullable(console);
  }

  /** Returns a future that completes when a server should stop. */
  CompletableFuture<@Nullable Void> shutdownRequested() {
    return shutdown;
  }

  /** Asks a running server to stop. */
  void requestShutdown() {
    shutdown.complete(null);
  }

  /** Tells the shutdown hook that the command has cleaned up. */
  void finished() {
    finished.countDown();
  }
}
