package io.github.pb4j.cli;

import io.github.pb4j.examples.ExampleArgs;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --tls-cert FILE --tls-key FILE [--tls-client-ca FILE]} of the commands that serve: TLS
 * with a certificate chain and key in PEM, and optionally mutual TLS (clients may present a
 * certificate of these CAs, and log in with it).
 */
final class ServerTlsOptions {
  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "Serve over TLS with this certificate chain (PEM, leaf first); needs --tls-key.")
  @Nullable Path cert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The private key of --tls-cert (unencrypted PKCS#8 PEM).")
  @Nullable Path key;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      description =
          "Mutual TLS: ask clients for a certificate of these CAs (PEM); a client presenting one "
              + "may log in with it, as the certificate's CN, without a password.")
  @Nullable Path clientCa;

  /** Returns whether TLS is on. */
  boolean enabled() {
    return cert != null || key != null;
  }

  /** Returns whether mutual TLS is on. */
  boolean mutual() {
    return clientCa != null;
  }

  /** Returns the server's TLS context, or null without TLS. */
  @Nullable SslContext context() {
    try {
      return ExampleArgs.serverTls(cert, key, clientCa, false);
    } catch (IllegalArgumentException e) {
      throw new CliException(PbCli.USAGE, e.getMessage(), e);
    }
  }
}
