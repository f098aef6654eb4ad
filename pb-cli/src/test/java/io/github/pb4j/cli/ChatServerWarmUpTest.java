package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code pb chat-server --warm-up}: a warm-up before listening, that leaves the users alone. */
@Timeout(60)
class ChatServerWarmUpTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void warmsUpThenServesTheStoresUsersOnly(@TempDir Path dir) throws Exception {
    String db = dir.resolve("chat.db").toString();
    try (CliRun.Running server = new CliRun.Running(
        Map.of(), "chat-server", "--port", "0", "--demo", "--db", db, "--warm-up", "0.5")) {
      String listening =
          server.out.await(l -> l.startsWith("chat server listening on 127.0.0.1:"), WAIT);
      assertThat(listening).as("started; stderr %s", server.err.snapshot()).isNotNull();
      assertThat(server.err.snapshot())
          .anyMatch(l -> l.matches("pb chat-server: warmed up for [0-9.]+ s before listening.*"));
      String port = listening.replaceAll(".*:(\\d+) .*", "$1");

      CliRun.Result groups =
          CliRun.run("", Map.of("PB_PASSWORD", "1234"), "call", "--port", port, "--user", "alice",
              "groups");
      assertThat(groups).isEqualTo(new CliRun.Result(0, "[]\n", ""));
      // The warm-up's throwaway user was never the store's.
      assertThat(CliRun.run("users", "list", "--db", db).out()).isEqualTo("alice\nbob\ncarol\n");

      server.terminal.requestShutdown();
      assertThat(server.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void zeroListensAtOnce(@TempDir Path dir) throws Exception {
    try (CliRun.Running server = new CliRun.Running(Map.of(), "chat-server", "--port", "0",
        "--demo", "--db", dir.resolve("chat.db").toString(), "--warm-up", "0")) {
      assertThat(server.out.await(l -> l.startsWith("chat server listening on "), WAIT))
          .as("started; stderr %s", server.err.snapshot())
          .isNotNull();
      assertThat(server.err.snapshot()).noneMatch(l -> l.contains("warmed up"));
      server.terminal.requestShutdown();
      assertThat(server.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void refusesANegativeOrHugeWarmUp() {
    assertThat(CliRun.run("chat-server", "--warm-up", "-1"))
        .isEqualTo(new CliRun.Result(
            2, "", "pb chat-server: --warm-up: -1.0 (expected: 0 to 300 seconds)\n"));
    assertThat(CliRun.run("chat-server", "--warm-up", "301").exitCode()).isEqualTo(2);
  }
}
