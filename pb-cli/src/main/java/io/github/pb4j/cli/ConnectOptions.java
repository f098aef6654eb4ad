package io.github.pb4j.cli;

import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.PbSession;
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

  /** Returns a client for the server (not yet connected), over TLS if the options say so. */
  PbClient client(Duration connectTimeout) {
    checkPort();
    PbClient.Builder builder =
        PbClient.builder().host(host).port(port).connectTimeout(connectTimeout);
    SslContext context = tls.context();
    if (context != null) {
      builder.sslContext(context);
    }
    return builder.build();
  }

  /**
   * Returns a session builder for the server, over TLS if the options say so: reconnects after
   * half a second, then waits longer and longer, up to 30 seconds, between attempts.
   */
  PbSession.Builder session(Duration connectTimeout) {
    checkPort();
    PbSession.Builder builder =
        PbSession.builder()
            .host(host)
            .port(port)
            .connectTimeout(connectTimeout)
            .attachTimeout(connectTimeout)
            .initialDelay(Duration.ofMillis(500))
            .maxDelay(Duration.ofSeconds(30));
    SslContext context = tls.context();
    if (context != null) {
      builder.sslContext(context);
    }
    return builder;
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

  private void checkPort() {
    if (port < 1 || port > 65535) {
      throw new CliException(PbCli.USAGE, "--port: " + port + " (expected: 1..65535)");
    }
  }
}
