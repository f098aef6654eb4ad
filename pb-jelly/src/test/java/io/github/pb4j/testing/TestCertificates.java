package io.github.pb4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made at test time with the {@code openssl} command (in PEM, keys in
 * PKCS#8, EC P-256, valid for two days): a test CA; a server certificate for {@code 127.0.0.1} and
 * {@code localhost} signed by it; a client certificate with the subject {@code CN=worker1} signed
 * by it; a server certificate signed by it for another name only ({@code other.invalid}); and a
 * second CA with a server certificate for {@code 127.0.0.1}, which the first CA does not vouch
 * for.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.create(tempDir);
 * SslContext server = Tls.server(certs.serverCert(), certs.serverKey());
 * }</pre>
 *
 * <p><em>Immutable.</em>
 */
public final class TestCertificates {
  /** The subject's common name of {@link #clientCert()}. */
  public static final String CLIENT_NAME = "worker1";

  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** Makes every certificate and key in {@code dir}; takes well under a second. */
  public static TestCertificates create(Path dir) {
    TestCertificates certs = new TestCertificates(dir);
    certs.makeCa("ca", "pb4j test CA");
    certs.makeSigned("server", "ca", "localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "serverAuth");
    certs.makeSigned("client", "ca", CLIENT_NAME, null, "clientAuth");
    certs.makeSigned("wrong-name", "ca", "other.invalid", "subjectAltName=DNS:other.invalid",
        "serverAuth");
    certs.makeCa("other-ca", "pb4j other CA");
    certs.makeSigned("other-server", "other-ca", "localhost",
        "subjectAltName=IP:127.0.0.1,DNS:localhost", "serverAuth");
    return certs;
  }

  /** The test CA's certificate. */
  public Path caCert() {
    return dir.resolve("ca.pem");
  }

  /** The server's certificate, for {@code 127.0.0.1} and {@code localhost}. */
  public Path serverCert() {
    return dir.resolve("server.pem");
  }

  /** The server's private key. */
  public Path serverKey() {
    return dir.resolve("server-key.pem");
  }

  /** The client's certificate, subject {@code CN=worker1}. */
  public Path clientCert() {
    return dir.resolve("client.pem");
  }

  /** The client's private key. */
  public Path clientKey() {
    return dir.resolve("client-key.pem");
  }

  /** A server certificate of the test CA naming only {@code other.invalid}. */
  public Path wrongNameCert() {
    return dir.resolve("wrong-name.pem");
  }

  /** The key of {@link #wrongNameCert()}. */
  public Path wrongNameKey() {
    return dir.resolve("wrong-name-key.pem");
  }

  /** The other CA's certificate. */
  public Path otherCaCert() {
    return dir.resolve("other-ca.pem");
  }

  /** A server certificate for {@code 127.0.0.1} signed by the other CA only. */
  public Path otherServerCert() {
    return dir.resolve("other-server.pem");
  }

  /** The key of {@link #otherServerCert()}. */
  public Path otherServerKey() {
    return dir.resolve("other-server-key.pem");
  }

  private void makeCa(String name, String commonName) {
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", name + "-key.pem", "-out", name + ".pem", "-days", "2",
        "-subj", "/CN=" + commonName,
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
  }

  private void makeSigned(String name, String ca, String commonName, String altNames,
      String usage) {
    openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", name + "-key.pem", "-out", name + ".csr", "-subj", "/CN=" + commonName);
    String extensions = "basicConstraints=CA:FALSE\n"
        + "keyUsage=critical,digitalSignature,keyAgreement\n"
        + "extendedKeyUsage=" + usage + "\n"
        + (altNames != null ? altNames + "\n" : "");
    try {
      Files.writeString(dir.resolve(name + ".ext"), extensions, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + "-key.pem",
        "-CAcreateserial", "-days", "2", "-out", name + ".pem", "-extfile", name + ".ext");
  }

  private void openssl(String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("openssl did not finish: " + command);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "openssl failed (" + process.exitValue() + "): " + command + "\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("running openssl (is it installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
