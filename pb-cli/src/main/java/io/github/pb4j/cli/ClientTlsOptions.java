package io.github.pb4j.cli;

import io.github.pb4j.examples.ExampleArgs;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --tls [--tls-ca FILE] [--tls-cert FILE --tls-key FILE]} of the commands that connect:
 * TLS that verifies the server's certificate (against the JDK's trust store, or the CAs of {@code
 * --tls-ca}) and that it names the host, and optionally presents a client certificate.
 */
final class ClientTlsOptions {
  @Option(
      names = "--tls",
      description =
          "Connect over TLS, checking the server's certificate and that it names --host.")
  boolean tls;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description = "Trust the CAs in this PEM file instead of the JDK's (implies --tls).")
  @Nullable Path ca;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "Present this client certificate (PEM) for mutual TLS; needs --tls-key (implies --tls).")
  @Nullable Path cert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The private key of --tls-cert (unencrypted PKCS#8 PEM).")
  @Nullable Path key;

  /** Returns whether TLS is on. */
  boolean enabled() {
    return tls || ca != null || cert != null || key != null;
  }

  /** Returns whether a client certificate is presented. */
  boolean hasCertificate() {
    return cert != null;
  }

  /** Returns the client's TLS context, or null without TLS. */
  @Nullable SslContext context() {
    try {
      return ExampleArgs.clientTls(tls, ca, cert, key, null);
    } catch (IllegalArgumentException e) {
      throw new CliException(PbCli.USAGE, e.getMessage(), e);
    }
  }
}
