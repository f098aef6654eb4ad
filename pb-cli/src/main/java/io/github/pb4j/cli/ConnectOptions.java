package io.github.pb4j.cli;

import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.PbSession;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --host} and {@code --port} of the commands that connect to a server. */
final class ConnectOptions {
  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = ExampleArgs.DEFAULT_HOST,
      description = "Server host (default: ${DEFAULT-VALUE}).")
  String host = ExampleArgs.DEFAULT_HOST;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8800",
      description = "Server port (default: ${DEFAULT-VALUE}).")
  int port = ExampleArgs.DEFAULT_PORT;

  /** Returns a client for the server (not yet connected). */
  PbClient client(Duration connectTimeout) {
    checkPort();
    return PbClient.builder().host(host).port(port).connectTimeout(connectTimeout).build();
  }

  /**
   * Returns a session builder for the server: reconnects after half a second, then waits longer
   * and longer, up to 30 seconds, between attempts.
   */
  PbSession.Builder session(Duration connectTimeout) {
    checkPort();
    return PbSession.builder()
        .host(host)
        .port(port)
        .connectTimeout(connectTimeout)
        .attachTimeout(connectTimeout)
        .initialDelay(Duration.ofMillis(500))
        .maxDelay(Duration.ofSeconds(30));
  }

  private void checkPort() {
    if (port < 1 || port > 65535) {
      throw new CliException(PbCli.USAGE, "--port: " + port + " (expected: 1..65535)");
    }
  }
}
