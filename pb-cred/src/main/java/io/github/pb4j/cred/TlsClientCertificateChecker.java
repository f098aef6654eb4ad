package io.github.pb4j.cred;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a client in by the certificate it presented in a mutual-TLS handshake: the avatar id is
 * the common name ({@code CN}) of the certificate's subject. The TLS layer has already verified
 * the chain against the CAs the server trusts for clients, so anyone holding a certificate those
 * CAs issued, and its private key, logs in as its {@code CN}, without a password.
 *
 * <pre>{@code
 * Portal portal = Portal.builder()
 *     .realm(realm)
 *     .checker(users.checker())                    // passwords
 *     .checker(new TlsClientCertificateChecker())  // client certificates
 *     .build();
 * }</pre>
 *
 * <p>Trust the client CAs for exactly this: a CA that also issues certificates for other purposes
 * would let their holders in. {@link #accepting(Predicate)} narrows the names accepted (say, only
 * workers); a certificate without a single {@code CN}, or whose name is not accepted, fails with
 * {@link UnauthorizedLoginException}.
 *
 * <p><em>Immutable.</em>
 */
public final class TlsClientCertificateChecker implements CredentialsChecker {
  private static final Logger logger = LoggerFactory.getLogger(TlsClientCertificateChecker.class);
  private static final Set<Class<? extends Credentials>> INTERFACES =
      CredentialInterfaces.of(TlsClientCertificate.class);

  private final Predicate<String> accepted;

  /** Creates a checker accepting every verified certificate with a single {@code CN}. */
  public TlsClientCertificateChecker() {
    this(name -> true);
  }

  private TlsClientCertificateChecker(Predicate<String> accepted) {
    this.accepted = accepted;
  }

  /** Returns a checker that also requires {@code accepted} to hold for the {@code CN}. */
  public TlsClientCertificateChecker accepting(Predicate<String> accepted) {
    Objects.requireNonNull(accepted, "accepted");
    return new TlsClientCertificateChecker(this.accepted.and(accepted));
  }

  /** Returns {@code [TlsClientCertificate]}. */
  @Override
  public Set<Class<? extends Credentials>> credentialInterfaces() {
    return INTERFACES;
  }

  @Override
  public CompletableFuture<AvatarId> requestAvatarId(Credentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    if (!(credentials instanceof TlsClientCertificate certificate)) {
      return CompletableFuture.failedFuture(new UnhandledCredentialsException("credentials: "
          + credentials.getClass().getName() + " (expected: TlsClientCertificate)"));
    }
    Optional<String> name = certificate.commonName();
    if (name.isEmpty() || !accepted.test(name.get())) {
      logger.debug("certificate login refused: {}", certificate.subject().getName());
      return CompletableFuture.failedFuture(new UnauthorizedLoginException(
          "client certificate " + certificate.subject().getName() + " names no accepted user"));
    }
    return CompletableFuture.completedFuture(AvatarId.of(name.get()));
  }

  @Override
  public String toString() {
    return "TlsClientCertificateChecker";
  }
}
