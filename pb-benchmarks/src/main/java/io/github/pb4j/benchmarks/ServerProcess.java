package io.github.pb4j.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link LoadServer} in a child JVM: same {@code java} and class path, plus the given JVM options
 * (the parent's options are not inherited, so that a profiler attached to the client does not
 * follow it into the server). Waits for the child's {@code READY <port>} line, copies its other
 * output to stderr, and on close closes the child's stdin (its signal to exit), destroying it if it
 * lingers.
 *
 * <p><em>Thread-safe.</em>
 */
final class ServerProcess implements EchoServer {
  private final LoadServer.Kind kind;
  private final Process process;
  private final int port;

  private ServerProcess(LoadServer.Kind kind, Process process, int port) {
    this.kind = kind;
    this.process = process;
    this.port = port;
  }

  @Override
  public long cpuNanos() {
    return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
  }

  /**
   * Starts a child serving {@code kind} and waits up to {@code timeout} for it to listen.
   *
   * @throws IOException if the child cannot be started, exits early or does not report in time
   */
  static ServerProcess start(LoadServer.Kind kind, List<String> jvmArgs, Duration timeout)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LoadServer.class.getName());
    command.add(kind.cliName());
    return launch(kind, command, timeout);
  }

  /**
   * Starts Twisted's echo server ({@code twisted_echo_server.py}) with {@code python} and waits
   * up to {@code timeout} for it to listen.
   */
  static ServerProcess startTwisted(String python, Duration timeout) throws IOException {
    return launch(
        LoadServer.Kind.TWISTED_PB,
        List.of(python, TwistedScripts.path(TwistedScripts.ECHO_SERVER).toString()),
        timeout);
  }

  private static ServerProcess launch(LoadServer.Kind kind, List<String> command, Duration timeout)
      throws IOException {
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> readOutput(process, ready), "server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new ServerProcess(kind, process, ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while waiting for the " + kind.cliName() + " server", e);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new IOException(kind.cliName() + " server did not start: " + e.getMessage(), e);
    }
  }

  private static void readOutput(Process process, CompletableFuture<Integer> ready) {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (!ready.isDone() && line.startsWith("READY ")) {
          ready.complete(Integer.parseInt(line.substring("READY ".length()).trim()));
        } else {
          System.err.println("[server] " + line);
        }
      }
      ready.completeExceptionally(
          new IOException("server exited with status " + process.waitFor()));
    } catch (IOException | RuntimeException e) {
      ready.completeExceptionally(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ready.completeExceptionally(e);
    }
  }

  @Override
  public LoadServer.Kind kind() {
    return kind;
  }

  @Override
  public int port() {
    return port;
  }

  /**
   * Stops the child ({@link ChildLines#stop}).
   *
   * @throws UncheckedIOException if its stdin could not be closed (it is destroyed then)
   */
  @Override
  public void close() {
    IOException e = ChildLines.stop(process);
    if (e != null) {
      throw new UncheckedIOException(e);
    }
  }
}
