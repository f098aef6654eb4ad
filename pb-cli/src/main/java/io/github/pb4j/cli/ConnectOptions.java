package io.github.pb4j.cli;

import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.netty.PbClient;
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
    if (port < 1 || port > 65535) {
      throw new CliException(PbCli.USAGE, "--port: " + port + " (expected: 1..65535)");
    }
    return PbClient.builder().host(host).port(port).connectTimeout(connectTimeout).build();
  }
}
