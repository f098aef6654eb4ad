package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.cred.Anonymous;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.TlsClientCertificate;
import io.github.pb4j.cred.TlsClientCertificateChecker;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.cred.UnhandledCredentialsException;
import io.github.pb4j.testing.TestCertificates;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TlsClientCertificateChecker}: the avatar id is the subject's single CN. */
class TlsClientCertificateCheckerTest {
  @TempDir static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void makeCertificates() {
    certs = TestCertificates.create(dir);
  }

  @Test
  void theAvatarIdIsTheCommonName() throws Exception {
    TlsClientCertificate credentials = TlsClientCertificate.of(List.of(load(certs.clientCert())));

    assertThat(credentials.commonName()).contains(TestCertificates.CLIENT_NAME);
    assertThat(new TlsClientCertificateChecker().requestAvatarId(credentials).get())
        .isEqualTo(AvatarId.of(TestCertificates.CLIENT_NAME));
    assertThat(credentials.toString()).isEqualTo("TlsClientCertificate[CN=worker1]");
  }

  @Test
  void namesNotAcceptedAndOtherCredentialsAreRefused() throws Exception {
    TlsClientCertificate credentials = TlsClientCertificate.of(List.of(load(certs.clientCert())));
    TlsClientCertificateChecker buildersOnly =
        new TlsClientCertificateChecker().accepting(name -> name.startsWith("builder"));

    assertThatThrownBy(() -> buildersOnly.requestAvatarId(credentials).get())
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(UnauthorizedLoginException.class)
        .hasMessage("client certificate CN=worker1 names no accepted user");
    assertThatThrownBy(() -> buildersOnly.requestAvatarId(Anonymous.INSTANCE).get())
        .cause().isInstanceOf(UnhandledCredentialsException.class);
    assertThatThrownBy(() -> TlsClientCertificate.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static X509Certificate load(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
