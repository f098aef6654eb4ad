package io.github.pb4j.netty;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;

/**
 * TLS contexts made from PEM files, for {@link PbServer.Builder#sslContext} and {@link
 * PbClient.Builder#sslContext}: what the {@code pb} command's {@code --tls-*} options use.
 *
 * <pre>{@code
 * PbServer.builder().sslContext(Tls.server(Path.of("server.pem"), Path.of("server-key.pem")));
 * PbClient.builder().host("chat.example").sslContext(Tls.client(Path.of("ca.pem")));
 * }</pre>
 *
 * <p>Certificates are PEM ({@code -----BEGIN CERTIFICATE-----}), a chain with the leaf first;
 * private keys are unencrypted PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl
 * genpkey} and {@code openssl req -newkey} write). TLS 1.3 and 1.2 only, with the JDK's provider.
 * Hostname verification is {@link PbClient}'s, on by default.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
public final class Tls {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private Tls() {}

  /**
   * Returns a server context presenting {@code certChain} with {@code key}.
   *
   * @throws IllegalArgumentException naming the file that cannot be read or used
   */
  public static SslContext server(Path certChain, Path key) {
    return server(certChain, key, null);
  }

  /**
   * Returns a server context presenting {@code certChain} with {@code key} that also asks clients
   * for a certificate signed by a CA of {@code clientCa} (mutual TLS). A client certificate is
   * optional: a client without one still connects (and may log in with a password), a client with
   * one the CAs do not vouch for is refused during the handshake. With {@code clientCa} null, no
   * client certificate is asked for.
   *
   * @throws IllegalArgumentException naming the file that cannot be read or used
   */
  public static SslContext server(Path certChain, Path key, @Nullable Path clientCa) {
    Objects.requireNonNull(certChain, "certChain");
    Objects.requireNonNull(key, "key");
    SslContextBuilder builder;
    try (InputStream chain = open(certChain, "certificate"); InputStream k = open(key, "key")) {
      builder = SslContextBuilder.forServer(chain, k);
    } catch (IOException | IllegalArgumentException e) {
      throw unusable(certChain + " with key " + key, e);
    }
    if (clientCa != null) {
      try (InputStream ca = open(clientCa, "CA certificate")) {
        builder.trustManager(ca).clientAuth(ClientAuth.OPTIONAL);
      } catch (IOException | IllegalArgumentException e) {
        throw unusable(clientCa.toString(), e);
      }
    }
    return build(builder, certChain.toString());
  }

  /**
   * Returns a client context that trusts the CAs in {@code caCerts}, or the JDK's trust store if
   * null.
   *
   * @throws IllegalArgumentException naming the file that cannot be read or used
   */
  public static SslContext client(@Nullable Path caCerts) {
    return client(caCerts, null, null);
  }

  /**
   * Returns a client context that trusts the CAs in {@code caCerts} (the JDK's trust store if
   * null) and presents {@code certChain} with {@code key} when the server asks for a client
   * certificate (both null: none).
   *
   * @throws IllegalArgumentException naming the file that cannot be read or used, or if only one
   *     of {@code certChain} and {@code key} is given
   */
  public static SslContext client(
      @Nullable Path caCerts, @Nullable Path certChain, @Nullable Path key) {
    if ((certChain == null) != (key == null)) {
      throw new IllegalArgumentException(
          "client certificate and key: only one given (expected: both or neither)");
    }
    SslContextBuilder builder = SslContextBuilder.forClient();
    if (caCerts != null) {
      try (InputStream ca = open(caCerts, "CA certificate")) {
        builder.trustManager(ca);
      } catch (IOException | IllegalArgumentException e) {
        throw unusable(caCerts.toString(), e);
      }
    }
    if (certChain != null && key != null) {
      try (InputStream chain = open(certChain, "certificate"); InputStream k = open(key, "key")) {
        builder.keyManager(chain, k);
      } catch (IOException | IllegalArgumentException e) {
        throw unusable(certChain + " with key " + key, e);
      }
    }
    return build(builder, caCerts != null ? caCerts.toString() : "the JDK's trust store");
  }

  /**
   * Explains a failed TLS handshake in one sentence for people, if {@code failure} or one of its
   * causes is one: the server's certificate does not name the host, is signed by a CA the client
   * does not trust, the peer does not speak TLS, or the peer refused ours.
   *
   * @param host the host the client connected to, for the message, or null
   */
  public static Optional<String> explain(Throwable failure, @Nullable String host) {
    SSLException ssl = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLException s && ssl == null) {
        ssl = s;
      }
      if (t instanceof CertificateException c && c.getMessage() != null
          && c.getMessage().startsWith("No subject alternative")) {
        return Optional.of("TLS: the server's certificate does not name "
            + (host != null ? host : "the host") + " (" + c.getMessage() + ")");
      }
      if (t instanceof CertPathValidatorException || t.getClass().getName()
          .equals("sun.security.provider.certpath.SunCertPathBuilderException")) {
        return Optional.of("TLS: the server's certificate is not signed by a trusted CA"
            + " (give its CA with --tls-ca, or check the server's certificate chain)");
      }
    }
    if (ssl == null) {
      return Optional.empty();
    }
    String message = String.valueOf(ssl.getMessage());
    if (ssl.getClass().getSimpleName().equals("NotSslRecordException")
        || message.contains("Unsupported or unrecognized SSL message")) {
      return Optional.of("TLS: the peer does not speak TLS (is it a plain PB server?)");
    }
    if (ssl instanceof SSLHandshakeException && message.contains("certificate")) {
      return Optional.of("TLS: the server refused our certificate (" + message + ")");
    }
    return Optional.of("TLS handshake failed: " + message);
  }

  private static InputStream open(Path file, String what) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(what + " file not found");
    }
    return Files.newInputStream(file);
  }

  private static SslContext build(SslContextBuilder builder, String what) {
    try {
      return builder.sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw unusable(what, e);
    }
  }

  private static IllegalArgumentException unusable(String what, Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getMessage() != null
        && cause.getMessage().contains("Exception")) {
      cause = cause.getCause();
    }
    return new IllegalArgumentException(
        "TLS: cannot use " + what + ": " + cause.getMessage()
            + " (expected: PEM certificates and an unencrypted PKCS#8 PEM key)", e);
  }
}
