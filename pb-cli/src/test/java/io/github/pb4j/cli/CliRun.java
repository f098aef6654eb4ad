package io.github.pb4j.cli;

import io.github.pb4j.testing.Lines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs {@code pb} in-process on a scripted terminal. */
final class CliRun {
  private CliRun() {}

  /** What a finished command printed and returned. */
  record Result(int exitCode, String out, String err) {}

  /** Runs {@code pb args} with {@code stdin} and {@code env}, to its end. */
  static Result run(String stdin, Map<String, String> env, String... args) {
    return run(stdin.getBytes(StandardCharsets.UTF_8), env, args);
  }

  /** Runs {@code pb args} with binary {@code stdin}. */
  static Result run(byte[] stdin, Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Terminal terminal =
        Terminal.of(
            new ByteArrayInputStream(stdin),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    int code = PbCli.execute(terminal, args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Result run(String... args) {
    return run("", Map.of(), args);
  }

  /** Returns the path of an example's Python twin, for {@code TwistedPeer}. */
  static String exampleTwin(String script) {
    return "../pb-examples/src/test/python/" + script;
  }

  /** A command running in its own thread, with its input written as the test goes. */
  static final class Running implements AutoCloseable {
    final ScriptedInput stdin = new ScriptedInput();
    final Lines out = new Lines();
    final Lines err = new Lines();
    final Terminal terminal;
    final CompletableFuture<Integer> exit = new CompletableFuture<>();

    Running(Map<String, String> env, String... args) {
      terminal = Terminal.of(stdin, out.printStream(), err.printStream(), env);
      Thread t =
          new Thread(
              () -> {
                try {
                  exit.complete(PbCli.execute(terminal, args));
                } catch (Throwable e) {
                  exit.completeExceptionally(e);
                }
              },
              "pb-" + args[0]);
      t.setDaemon(true);
      t.start();
    }

    /** Types a line. */
    Running type(String line) {
      stdin.line(line);
      return this;
    }

    /** Waits for the command to end; returns its exit code. */
    int awaitExit(Duration timeout) throws Exception {
      try {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError(
            "pb did not exit; stdout " + out.snapshot() + ", stderr " + err.snapshot(), e);
      }
    }

    /** Ends the input and asks a server to stop. */
    @Override
    public void close() {
      stdin.close();
      terminal.requestShutdown();
    }
  }

  /** Stdin fed line by line by the test; blocks readers until a line or the end comes. */
  static final class ScriptedInput extends InputStream {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    void line(String line) {
      chunks.add((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
      chunks.add(END);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (pos >= current.length) {
        if (ended) {
          return -1;
        }
        try {
          current = chunks.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
        pos = 0;
        if (current == END) {
          ended = true;
          return -1;
        }
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
