package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.testing.TestCertificates;
import io.github.pb4j.testing.TwistedPeer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat over TLS between the {@code pb} command and the seed's Twisted chat programs, with
 * Twisted's own TLS (pyOpenSSL): the Twisted client on {@code pb chat-server --tls-cert}, and
 * {@code pb chat --tls-ca} on the Twisted server.
 *
 * <p>A class of its own: the second interop pass of {@code ./run-tests}, against the newest
 * Twisted in an environment that may lack pyOpenSSL, does not list it.
 */
@Timeout(90)
class ChatTlsTwistedTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String GROUP = "#NeedAFourth";

  @TempDir static Path certDir;
  static TestCertificates certs;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() {
    TwistedPeer.requireTwistedTls();
    certs = TestCertificates.create(certDir);
  }

  @Test
  void twistedClientChatsOnThePbChatServerOverTls() throws Exception {
    try (CliRun.Running server = startChatServer("--demo")) {
      String port = port(server);
      try (CliRun.Running bob = new CliRun.Running(Map.of(), "chat", "--port", port, "--tls-ca",
          certs.caCert().toString(), "--user", "bob", "--group", GROUP, "--password-stdin")) {
        bob.type("secret");
        assertThat(bob.err.await(("* joined " + GROUP)::equals, WAIT)).isNotNull();

        try (TwistedPeer alice = TwistedPeer.start(CliRun.exampleTwin("chatclient.py"),
            List.of("--port", port, "--tls-ca", certs.caCert().toString()))) {
          assertThat(alice.awaitExit(WAIT)).as("chatclient.py output %s",
              alice.stdout().snapshot()).isZero();
          assertThat(alice.stdout().snapshot()).contains("connected, joining group " + GROUP);
        }

        assertThat(bob.out.await("<alice> says: You can call me Al."::equals, WAIT)).isNotNull();
        bob.type("/quit");
        assertThat(bob.awaitExit(WAIT)).isZero();
      }
    }
  }

  @Test
  void twistedClientIsRefusedByAChatServerWithoutMd5Verifiers() throws Exception {
    try (CliRun.Running server = startChatServer("--demo", "--no-md5");
        TwistedPeer alice = TwistedPeer.start(CliRun.exampleTwin("chatclient.py"),
            List.of("--port", port(server), "--tls-ca", certs.caCert().toString()))) {
      assertThat(alice.awaitExit(WAIT)).isEqualTo(1);
      assertThat(alice.stdout().snapshot()).doesNotContain("connected, joining group " + GROUP);
    }
  }

  @Test
  void pbChatChatsOnTheSeedsTwistedChatServerOverTls() throws Exception {
    try (TwistedPeer server = TwistedPeer.startServer(CliRun.exampleTwin("chatserver.py"),
            "--tls-cert", certs.serverCert().toString(), "--tls-key", certs.serverKey().toString());
        CliRun.Running alice = new CliRun.Running(Map.of(), "chat", "--port",
            Integer.toString(server.port()), "--tls-ca", certs.caCert().toString(), "--user",
            "alice", "--group", GROUP, "--password-stdin")) {
      alice.type("1234");
      assertThat(alice.err.await(("* joined " + GROUP)::equals, WAIT))
          .withFailMessage(() -> "alice did not join; stderr " + alice.err.snapshot()).isNotNull();
      alice.type("hello over Twisted's TLS");
      assertThat(alice.out.await("<alice> says: hello over Twisted's TLS"::equals, WAIT))
          .isNotNull();
      alice.type("/quit");
      assertThat(alice.awaitExit(WAIT)).isZero();
    }
  }

  private CliRun.Running startChatServer(String... args) throws InterruptedException {
    String[] base = {"chat-server", "--port", "0", "--db", dir.resolve("chat.db").toString(),
        "--tls-cert", certs.serverCert().toString(), "--tls-key", certs.serverKey().toString()};
    String[] all = new String[base.length + args.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(args, 0, all, base.length, args.length);
    CliRun.Running server = new CliRun.Running(Map.of(), all);
    assertThat(server.out.await(l -> l.startsWith("chat server listening on 127.0.0.1:"), WAIT))
        .withFailMessage(() -> "chat server did not start; stderr " + server.err.snapshot())
        .isNotNull();
    return server;
  }

  private static String port(CliRun.Running server) {
    return server.out.snapshot().get(0).replaceAll(".*:(\\d+) .*", "$1");
  }
}
