package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.PbLogin;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.TlsClientCertificateChecker;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.testing.TestCertificates;
import io.github.pb4j.testing.TwistedPeer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * pb4j's TLS against Twisted's own (pyOpenSSL: {@code listenSSL}, {@code optionsForClientTLS}),
 * both ways: calls, PB's challenge login (a pb4j client probes for {@code loginPlain}, finds
 * Twisted has none and falls back), the certificate login of a Twisted client, and refusals of a
 * wrong host name or an unknown CA on either side. The Python peer is {@code
 * src/test/python/tls_peer.py}.
 *
 * <p>A class of its own: the second interop pass of {@code ./run-tests}, against the newest
 * Twisted in an environment that may lack pyOpenSSL, does not list it.
 */
@Timeout(60)
class TwistedTlsInteropTest {
  private static final Duration EXIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  static TestCertificates certs;

  @BeforeAll
  static void setUp() {
    TwistedPeer.requireTwistedTls();
    certs = TestCertificates.create(dir);
  }

  @Test
  void javaClientCallsAndLogsInToTwistedOverTls() throws Exception {
    try (TwistedPeer twisted = TwistedPeer.startServer("tls_peer.py", "server",
            "--cert", certs.serverCert().toString(), "--key", certs.serverKey().toString());
        PbClient client = PbClient.builder().host("127.0.0.1").port(twisted.port())
            .sslContext(Tls.client(certs.caCert())).build()) {
      RemoteReference root = client.getRootObject().get(20, TimeUnit.SECONDS);

      RemoteReference alice = PbLogin.login(root, UsernamePassword.of("alice", "secret"), null)
          .get(20, TimeUnit.SECONDS);

      assertThat(alice.callRemote("whoami").get(20, TimeUnit.SECONDS))
          .isEqualTo("alice");
      assertThat(alice.callRemote("echo", List.of(1, "two")).get(20, TimeUnit.SECONDS))
          .isEqualTo(List.of(1, "two"));
    }
  }

  @Test
  void javaClientRefusesATwistedServerWithAWrongNameOrAnUnknownCa() throws Exception {
    try (TwistedPeer wrongName = TwistedPeer.startServer("tls_peer.py", "server",
            "--cert", certs.wrongNameCert().toString(), "--key", certs.wrongNameKey().toString());
        TwistedPeer unknownCa = TwistedPeer.startServer("tls_peer.py", "server",
            "--cert", certs.otherServerCert().toString(),
            "--key", certs.otherServerKey().toString())) {

      assertThat(Tls.explain(failureOf(wrongName.port()), "127.0.0.1")).get().asString()
          .startsWith("TLS: the server's certificate does not name 127.0.0.1");
      assertThat(Tls.explain(failureOf(unknownCa.port()), "127.0.0.1")).get().asString()
          .startsWith("TLS: the server's certificate is not signed by a trusted CA");
    }
  }

  @Test
  void twistedClientCallsJavaServerOverTls() throws Exception {
    try (PbServer server = PbServer.builder().host("127.0.0.1").port(0).root(new TestRoot())
        .sslContext(Tls.server(certs.serverCert(), certs.serverKey())).build().start()) {

      List<String> lines = runClient(server.port(), "echo", "localhost");

      assertThat(lines).contains("ECHO 42", "ECHO 'h\u00e9llo'", "ECHO b'raw\\x00'",
          "ECHO [1, (2, 3)]", "ECHO {'k': None}", "DONE");
    }
  }

  @Test
  void aTwistedClientsGracefulDisconnectEndsTheConnectionAtOnce() throws Exception {
    try (PbServer server = PbServer.builder().host("127.0.0.1").port(0).root(new TestRoot())
        .sslContext(Tls.server(certs.serverCert(), certs.serverKey())).build().start()) {

      // Twisted sends close_notify and waits for the server to close; pb4j closes at once.
      List<String> lines = runClient(server.port(), "disconnect", "localhost");

      String line = lines.stream().filter(l -> l.startsWith("DISCONNECTED ")).findFirst()
          .orElseThrow(() -> new AssertionError("no DISCONNECTED line in " + lines));
      assertThat(Double.parseDouble(line.substring("DISCONNECTED ".length()))).isLessThan(5.0);
    }
  }

  @Test
  void twistedClientLogsInWithPasswordOrCertificate() throws Exception {
    var passwords = new InMemoryUsernamePasswordDatabaseDontUse();
    passwords.addUser("alice", "secret");
    Portal portal = Portal.builder().realm(new TlsLoginTest.NamedRealm())
        .checker(passwords).checker(new TlsClientCertificateChecker()).build();
    try (PbServer server = PbServer.builder().host("127.0.0.1").port(0).portal(portal)
        .sslContext(Tls.server(certs.serverCert(), certs.serverKey(), certs.caCert()))
        .build().start()) {

      assertThat(runClient(server.port(), "password", "localhost"))
          .contains("WHOAMI alice", "DONE");
      assertThat(runClient(server.port(), "certificate", "127.0.0.1",
          "--cert", certs.clientCert().toString(), "--key", certs.clientKey().toString()))
          .contains("WHOAMI " + TestCertificates.CLIENT_NAME, "DONE");
    }
  }

  @Test
  void twistedClientRefusesAJavaServerWithAWrongNameOrAnUnknownCa() throws Exception {
    try (PbServer wrongName = PbServer.builder().host("127.0.0.1").port(0).root(new TestRoot())
            .sslContext(Tls.server(certs.wrongNameCert(), certs.wrongNameKey())).build().start();
        PbServer unknownCa = PbServer.builder().host("127.0.0.1").port(0).root(new TestRoot())
            .sslContext(Tls.server(certs.otherServerCert(), certs.otherServerKey()))
            .build().start()) {

      assertThat(runClientFailing(wrongName.port())).noneMatch(l -> l.startsWith("ECHO"))
          .anyMatch(l -> l.startsWith("ERROR"));
      assertThat(runClientFailing(unknownCa.port())).noneMatch(l -> l.startsWith("ECHO"))
          .anyMatch(l -> l.startsWith("ERROR"));
    }
  }

  private static Throwable failureOf(int port) throws Exception {
    try (PbClient client = PbClient.builder().host("127.0.0.1").port(port)
        .sslContext(Tls.client(certs.caCert())).build()) {
      client.getRootObject().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the TLS handshake to fail");
  }

  private static List<String> runClient(int port, String mode, String hostname, String... more)
      throws InterruptedException {
    List<String> args = new ArrayList<>(List.of("client", "--port", String.valueOf(port),
        "--ca", certs.caCert().toString(), "--hostname", hostname, "--mode", mode));
    args.addAll(List.of(more));
    try (TwistedPeer twisted = TwistedPeer.start("tls_peer.py", args)) {
      int status = twisted.awaitExit(EXIT);
      assertThat(status).as("Twisted client output %s", twisted.stdout().snapshot()).isZero();
      return twisted.stdout().snapshot();
    }
  }

  private static List<String> runClientFailing(int port) throws InterruptedException {
    try (TwistedPeer twisted = TwistedPeer.start("tls_peer.py", List.of("client", "--port",
        String.valueOf(port), "--ca", certs.caCert().toString(), "--hostname", "localhost"))) {
      int status = twisted.awaitExit(EXIT);
      assertThat(status).as("Twisted client output %s", twisted.stdout().snapshot()).isOne();
      return twisted.stdout().snapshot();
    }
  }
}
