package io.github.pb4j.cred;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Credentials proved by the TLS handshake: the certificate chain a client presented and the
 * server's TLS layer verified against the CAs it trusts for clients (mutual TLS). The server makes
 * them from the connection, never from anything the client sends over PB; a {@link
 * TlsClientCertificateChecker} turns them into an avatar id. pb4j-specific: Twisted has no such
 * credentials.
 *
 * <p>The client proved possession of the certificate's private key during the handshake, so these
 * credentials carry no secret and may be logged.
 *
 * <p><em>Immutable.</em>
 */
public final class TlsClientCertificate implements Credentials {
  private final List<X509Certificate> chain;

  private TlsClientCertificate(List<X509Certificate> chain) {
    this.chain = chain;
  }

  /**
   * Returns the credentials of a verified chain, the client's own certificate first.
   *
   * @throws IllegalArgumentException if {@code chain} is empty
   */
  public static TlsClientCertificate of(List<X509Certificate> chain) {
    Objects.requireNonNull(chain, "chain");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(
          "chain: empty (expected: at least the client's certificate)");
    }
    return new TlsClientCertificate(List.copyOf(chain));
  }

  /** Returns the client's own certificate. */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** Returns the verified chain, the client's certificate first. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** Returns the subject of the client's certificate. */
  public X500Principal subject() {
    return certificate().getSubjectX500Principal();
  }

  /**
   * Returns the subject's common name ({@code CN}), if it has exactly one; empty if it has none or
   * several (which would make the name ambiguous).
   */
  public Optional<String> commonName() {
    try {
      List<Rdn> cns = new LdapName(subject().getName(X500Principal.RFC2253)).getRdns().stream()
          .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
          .toList();
      if (cns.size() != 1 || !(cns.get(0).getValue() instanceof String cn) || cn.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(cn);
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "TlsClientCertificate[" + subject().getName() + "]";
  }
}
