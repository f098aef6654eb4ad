package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.PeerProbe;
import io.github.pb4j.Remote;
import io.github.pb4j.Root;
import io.github.pb4j.netty.PbServer;
import io.github.pb4j.testing.TwistedPeer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pb call --timeout} (exit code 4 for no answer, 1 for a refusal) against pb4j and Twisted
 * servers whose method never answers, and {@code pb chat-server --keepalive / --keepalive-timeout}.
 */
@Timeout(60)
class ConnectionOptionsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  public static final class SlowRoot implements Root {
    @Remote
    public CompletableFuture<@Nullable Object> never() {
      return new CompletableFuture<>();
    }

    @Remote
    public String refuse() {
      throw new IllegalStateException("not today");
    }
  }

  @Test
  void aCallWithoutAnAnswerInTimeExitsWithItsOwnCode() {
    try (PbServer server = PbServer.builder().host("127.0.0.1").port(0).root(new SlowRoot()).build().start()) {
      String port = String.valueOf(server.port());
      long start = System.nanoTime();
      CliRun.Result timedOut = CliRun.run("call", "--port", port, "--timeout", "0.5", "never");
      assertThat(timedOut.exitCode()).isEqualTo(PbCli.TIMED_OUT).isEqualTo(4);
      assertThat(timedOut.err()).isEqualTo("pb call: no answer to the call of never within 0.5 s\n");
      assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(10).toNanos());

      CliRun.Result refused = CliRun.run("call", "--port", port, "--timeout", "5", "refuse");
      assertThat(refused.exitCode()).isEqualTo(PbCli.FAILED);
      assertThat(refused.err()).contains("not today");

      assertThat(CliRun.run("call", "--port", port, "--timeout", "0", "never").exitCode()).isEqualTo(PbCli.USAGE);
      assertThat(CliRun.run("call", "--port", port, "--timeout", "-1", "never").exitCode()).isEqualTo(PbCli.USAGE);
    }
  }

  @Test
  void aTwistedDeferredThatNeverFiresTimesOut() {
    try (TwistedPeer twisted = TwistedPeer.startServer("../pb-interop/src/test/python/connections_server.py")) {
      CliRun.Result result =
          CliRun.run("call", "--port", String.valueOf(twisted.port()), "--timeout", "1", "never");
      assertThat(result.exitCode()).isEqualTo(4);
      assertThat(result.err()).isEqualTo("pb call: no answer to the call of never within 1 s\n");
    }
  }

  @Test
  void theHelpListsTheTimeoutExitCode() {
    CliRun.Result help = CliRun.run("--help");
    assertThat(help.out()).contains("4   no answer within --timeout (pb call)");
  }

  @Test
  void keepaliveOptionsMakeTheProbe() {
    assertThat(probe()).isEqualTo(PeerProbe.SERVER_DEFAULT);
    assertThat(probe("--keepalive", "0")).isEqualTo(PeerProbe.OFF);
    assertThat(probe("--keepalive", "20", "--keepalive-timeout", "2.5"))
        .isEqualTo(PeerProbe.of(Duration.ofSeconds(20), Duration.ofMillis(2500)));
    assertThat(CliRun.run("chat-server", "--keepalive", "-1").exitCode()).isEqualTo(PbCli.USAGE);
    assertThat(CliRun.run("chat-server", "--keepalive", "5", "--keepalive-timeout", "0").err())
        .contains("--keepalive-timeout: 0.0 (expected: more than 0");
  }

  private static PeerProbe probe(String... args) {
    KeepaliveOptions options = new KeepaliveOptions();
    new CommandLine(new Holder(options)).parseArgs(args);
    return options.probe();
  }

  @CommandLine.Command(name = "holder")
  static final class Holder {
    @CommandLine.Mixin final KeepaliveOptions options;

    Holder(KeepaliveOptions options) {
      this.options = options;
    }
  }

  @Test
  void theChatServerDropsAClientThatGoesSilentAfterTheHandshake() throws Exception {
    String db = dir.resolve("chat.db").toString();
    try (CliRun.Running server = new CliRun.Running(Map.of(), "chat-server", "--port", "0", "--demo",
        "--db", db, "--keepalive", "0.3", "--keepalive-timeout", "0.5")) {
      String line = server.out.await(l -> l.startsWith("chat server listening on 127.0.0.1:"), WAIT);
      assertThat(line).as("started; stderr %s", server.err.snapshot()).isNotNull();
      int port = Integer.parseInt(line.replaceAll(".*:(\\d+) .*", "$1"));
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout((int) WAIT.toMillis());
        OutputStream out = socket.getOutputStream();
        // Chooses the pb dialect and says version 6, as a Twisted client does; then silence.
        out.write(HexFormat.of().parseHex("02827062" + "028013870681"));
        out.flush();
        long start = System.nanoTime();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        int total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
          total += n; // the offer, the version, the probe: read, never answered
        }
        assertThat(total).isPositive();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(500).toNanos());
      }
    }
  }

}
