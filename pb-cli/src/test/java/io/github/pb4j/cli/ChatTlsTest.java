package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pb chat-server}, {@code pb chat}, {@code pb call} and {@code pb example} over TLS between
 * pb4j peers: the TLS options, password logins on a store without MD5 verifiers ({@code
 * --no-md5}), certificate logins, and clear refusals of a wrong CA or a missing TLS.
 */
@Timeout(90)
class ChatTlsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String GROUP = "#NeedAFourth";

  @TempDir static Path certDir;
  static TestCertificates certs;

  @TempDir Path dir;

  @BeforeAll
  static void makeCertificates() {
    certs = TestCertificates.create(certDir);
  }

  @Test
  void chatsOverTlsOnAStoreWithoutMd5Verifiers() throws Exception {
    String db = dir.resolve("users.db").toString();
    try (CliRun.Running server = startChatServer("--demo", "--no-md5", "--db", db)) {
      assertThat(server.out.snapshot().get(0)).contains(" over TLS ").contains("no MD5 verifiers");
      String port = port(server);
      try (CliRun.Running alice = chat(port, "alice", "1234");
          CliRun.Running bob = chat(port, "bob", "secret")) {
        assertThat(alice.err.snapshot()).anyMatch(l -> l.contains(" over TLS;"));
        alice.type("hello over TLS");
        assertThat(bob.out.await("<alice> says: hello over TLS"::equals, WAIT)).isNotNull();
        alice.type("/quit");
        bob.type("/quit");
        assertThat(alice.awaitExit(WAIT)).isZero();
        assertThat(bob.awaitExit(WAIT)).isZero();
      }
      assertThat(CliRun.run("", Map.of("PB_PASSWORD", "1234"), "call", "--port", port,
              "--tls-ca", certs.caCert().toString(), "--user", "alice", "groups"))
          .isEqualTo(new CliRun.Result(0, "[]\n", ""));
      server.terminal.requestShutdown();
      assertThat(server.awaitExit(WAIT)).isZero();
    }
    assertThat(CliRun.run("users", "clear-md5", "--db", db).out())
        .isEqualTo("deleted 0 MD5 verifiers\n");
  }

  @Test
  void withoutTlsAStoreWithoutMd5RefusesPasswordLoginsClearly() throws Exception {
    try (CliRun.Running server = startPlainChatServer(
        "--demo", "--no-md5", "--db", dir.resolve("users.db").toString())) {
      assertThat(server.err.snapshot()).anyMatch(l -> l.contains("nobody can log in"));

      CliRun.Result result = CliRun.run("", Map.of("PB_PASSWORD", "1234"), "call", "--port",
          port(server), "--user", "alice", "groups");

      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.err()).startsWith("pb call: login failed: UnhandledCredentials: ")
          .contains("keeps no MD5 verifiers");
    }
  }

  @Test
  void aWorkerLogsInByItsCertificate() throws Exception {
    try (CliRun.Running server = startChatServer("--demo", "--tls-client-ca",
        certs.caCert().toString(), "--db", dir.resolve("users.db").toString())) {
      assertThat(server.out.snapshot().get(0)).contains(" over mutual TLS ");
      String port = port(server);

      CliRun.Result result = CliRun.run("call", "--port", port, "--tls-ca",
          certs.caCert().toString(), "--tls-cert", certs.clientCert().toString(), "--tls-key",
          certs.clientKey().toString(), "--cert-login", "joinGroup", "'#workers'");
      try (CliRun.Running worker = new CliRun.Running(Map.of(), "chat", "--port", port,
          "--tls-ca", certs.caCert().toString(), "--tls-cert", certs.clientCert().toString(),
          "--tls-key", certs.clientKey().toString(), "--group", GROUP)) {
        assertThat(worker.err.await(("* joined " + GROUP)::equals, WAIT)).isNotNull();
        worker.type("/who");
        assertThat(worker.err.await(
            ("* in " + GROUP + ": " + TestCertificates.CLIENT_NAME)::equals, WAIT)).isNotNull();
        worker.type("/quit");
        assertThat(worker.awaitExit(WAIT)).isZero();
      }

      assertThat(result.exitCode()).as("stderr %s", result.err()).isZero();
    }
  }

  @Test
  void aServerOfAnUnknownCaOrAPlainServerIsRefusedClearly() throws Exception {
    try (CliRun.Running server = startChatServer("--demo", "--db",
        dir.resolve("users.db").toString())) {
      CliRun.Result unknownCa = CliRun.run("", Map.of("PB_PASSWORD", "1234"), "call", "--port",
          port(server), "--tls-ca", certs.otherCaCert().toString(), "--user", "alice", "groups");

      assertThat(unknownCa).isEqualTo(new CliRun.Result(3, "", "pb call: TLS: the server's"
          + " certificate is not signed by a trusted CA (give its CA with --tls-ca, or check the"
          + " server's certificate chain)\n"));
    }
    try (CliRun.Running plain = startPlainChatServer("--demo", "--db",
        dir.resolve("users2.db").toString())) {
      CliRun.Result result = CliRun.run("", Map.of("PB_PASSWORD", "1234"), "call", "--port",
          port(plain), "--tls-ca", certs.caCert().toString(), "--user", "alice", "groups");

      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.err()).startsWith("pb call: TLS");
    }
  }

  @Test
  void badTlsOptionsAreUsageErrors() {
    assertThat(CliRun.run("chat-server", "--tls-cert", certs.serverCert().toString()))
        .isEqualTo(new CliRun.Result(2, "", "pb chat-server: --tls-cert: given alone"
            + " (expected: --tls-cert FILE --tls-key FILE)\n"));
    CliRun.Result missing = CliRun.run("call", "--tls-ca", dir.resolve("nope.pem").toString(),
        "echo", "1");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.pem");
    assertThat(CliRun.run("chat").err()).contains("--user: missing");
  }

  @Test
  void examplesTakeTheTlsOptions() throws Exception {
    try (CliRun.Running server = new CliRun.Running(Map.of(), "example", "pbsimpleserver",
        "--port", "0", "--tls-cert", certs.serverCert().toString(), "--tls-key",
        certs.serverKey().toString())) {
      String ready = server.out.await(l -> l.startsWith("READY "), WAIT);
      assertThat(ready).withFailMessage(() -> "no READY; stdout " + server.out.snapshot()
          + ", stderr " + server.err.snapshot()).isNotNull();
      String port = ready.substring("READY ".length());

      assertThat(CliRun.run("example", "pbsimpleclient", "--port", port, "--host", "localhost",
              "--tls-ca", certs.caCert().toString()))
          .isEqualTo(new CliRun.Result(0, "server echoed: hello network\n", ""));
      assertThat(CliRun.run("example", "pbsimpleclient", "--port", port, "--tls").exitCode())
          .isEqualTo(3);
    }
  }

  private static CliRun.Running startChatServer(String... args) throws InterruptedException {
    List<String> all = new ArrayList<>(List.of("--tls-cert", certs.serverCert().toString(),
        "--tls-key", certs.serverKey().toString()));
    all.addAll(List.of(args));
    return startPlainChatServer(all.toArray(String[]::new));
  }

  private static CliRun.Running startPlainChatServer(String... args) throws InterruptedException {
    List<String> all = new ArrayList<>(List.of("chat-server", "--port", "0"));
    all.addAll(List.of(args));
    CliRun.Running server = new CliRun.Running(Map.of(), all.toArray(String[]::new));
    assertThat(server.out.await(l -> l.startsWith("chat server listening on 127.0.0.1:"), WAIT))
        .as("chat server started; stderr %s", server.err.snapshot())
        .isNotNull();
    return server;
  }

  private static String port(CliRun.Running server) {
    String line = server.out.snapshot().get(0);
    return line.replaceAll(".*:(\\d+) .*", "$1");
  }

  private static CliRun.Running chat(String port, String user, String password)
      throws InterruptedException {
    CliRun.Running client = new CliRun.Running(Map.of(), "chat", "--port", port, "--tls-ca",
        certs.caCert().toString(), "--user", user, "--group", GROUP, "--password-stdin");
    client.type(password);
    assertThat(client.err.await(("* joined " + GROUP)::equals, WAIT))
        .as("%s joined; stderr %s", user, client.err.snapshot())
        .isNotNull();
    return client;
  }
}
