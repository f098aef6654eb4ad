package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code pb example}: lists the examples and runs a server and its client. */
@Timeout(30)
class ExampleCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void listsTheExamples() {
    CliRun.Result result = CliRun.run("example");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out().lines().map(l -> l.split("\\s+")[0]))
        .containsExactly(
            "pbsimpleserver",
            "pbsimpleclient",
            "pb5server",
            "pb5client",
            "pb6server",
            "pb6client1",
            "pb6client2",
            "pbanonserver",
            "pbanonclient",
            "chatserver",
            "chatclient",
            "typed-pbsimpleclient",
            "typed-pb5client",
            "typed-chatclient");
  }

  @Test
  void runsAServerAndItsClient() throws Exception {
    try (CliRun.Running server =
        new CliRun.Running(Map.of(), "example", "pb6server", "--port", "0")) {
      String ready = server.out.await(l -> l.startsWith("READY "), WAIT);
      assertThat(ready).isNotNull();
      String port = ready.substring("READY ".length());

      CliRun.Result client = CliRun.run("example", "pb6client2", "--port", port);
      assertThat(client.exitCode()).isZero();
      assertThat(client.out())
          .matches(
              "got perspective2 ref: <io\\.github\\.pb4j\\.RemoteReference object at 0x[0-9a-f]+>\n"
                  + "asking it to foo\\(14\\)\n");
      assertThat(
              server.out.await(
                  l -> l.startsWith("I am user2 perspective_foo( 14 ) called on <"), WAIT))
          .isNotNull();

      server.terminal.requestShutdown();
      assertThat(server.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void aClientThatCannotConnectExitsWithThree() throws Exception {
    int port;
    try (var socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    CliRun.Result client = CliRun.run("example", "pb5client", "--port", Integer.toString(port));
    assertThat(client.exitCode()).isEqualTo(3);
    assertThat(client.err()).startsWith("pb5client: cannot connect to 127.0.0.1:" + port);
  }

  @Test
  void portZeroIsForServersOnly() {
    CliRun.Result client = CliRun.run("example", "pb5client", "--port", "0");
    assertThat(client.exitCode()).isEqualTo(2);
    assertThat(client.err()).contains("--port: 0 (expected: 1..65535)");
  }
}
