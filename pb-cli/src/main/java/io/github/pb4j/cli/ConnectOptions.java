package io.github.pb4j.cli;

import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.Tls;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --host}, {@code --port} and the TLS options ({@link ClientTlsOptions}) of the commands
 * that connect to a server.
 */
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

  @Mixin ClientTlsOptions tls = new ClientTlsOptions();

  /** Returns a client for the server (not yet connected). */
  PbClient client(Duration connectTimeout) {
    if (port < 1 || port > 65535) {
      throw new CliException(PbCli.USAGE, "--port: " + port + " (expected: 1..65535)");
    }
    PbClient.Builder builder =
        PbClient.builder().host(host).port(port).connectTimeout(connectTimeout);
    SslContext context = tls.context();
    if (context != null) {
      builder.sslContext(context);
    }
    return builder.build();
  }

  /**
   * Returns the failure to report for {@code failure} of a connection: a clear {@link
   * CliException} for a failed TLS handshake, else {@code failure} itself.
   */
  Throwable explain(Throwable failure) {
    return Tls.explain(failure, host)
        .<Throwable>map(text -> new CliException(PbCli.CANNOT_CONNECT, text, failure))
        .orElse(failure);
  }
}
