package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.examples.pbsimpleserver.PbSimpleServer;
import io.github.pb4j.testing.Lines;
import io.github.pb4j.testing.TwistedPeer;
import io.github.pb4j.netty.PbServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code pb call} against Twisted servers (the examples' Python twins) and ours. */
@Timeout(60)
class CallCommandTest {
  /** Python literals of every type PB carries, each written as Python's repr writes it. */
  private static final String[] VALUES = {
    "None",
    "True",
    "False",
    "0",
    "-7",
    "1180591620717411303424",
    "1.5",
    "-0.25",
    "1e+100",
    "inf",
    "'text'",
    "''",
    "'h\u00e9llo w\u00f6rld'",
    "b'bytes'",
    "b''",
    "b'\\x00\\xff\\n'",
    "[]",
    "[1, 'two', b'three']",
    "()",
    "(1,)",
    "(1, (2, 3))",
    "{}",
    "{'k': 2}",
    "{1: 'one', 'two': [2]}",
    "{1, 2}",
    "set()",
    "frozenset({1})",
    "Decimal('1.5')",
    "[None, True, 1.5, {'nested': (b'x', {'deep': [set()]})}]"
  };

  private static TwistedPeer twistedEcho;
  private static PbServer javaEcho;

  @BeforeAll
  static void startServers() throws Exception {
    twistedEcho = TwistedPeer.startServer(CliRun.exampleTwin("pbsimpleserver.py"));
    javaEcho = PbSimpleServer.start(ExampleArgs.of("127.0.0.1", 0, true), new Lines().printStream());
  }

  @AfterAll
  static void stopServers() throws Exception {
    twistedEcho.close();
    javaEcho.close();
  }

  static Stream<String> values() {
    return Stream.of(VALUES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void echoesEveryTypeThroughTwisted(String literal) {
    CliRun.Result result = CliRun.run("call", "--port", port(twistedEcho), "echo", literal);
    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(literal + "\n");
  }

  @Test
  void echoesThroughOurServer() {
    for (String literal :
        List.of("None", "-7", "'text'", "b'\\x00\\xff\\n'", VALUES[VALUES.length - 1])) {
      CliRun.Result result =
          CliRun.run("call", "--port", Integer.toString(javaEcho.port()), "echo", literal);
      assertThat(result.out()).as(literal).isEqualTo(literal + "\n");
      assertThat(result.exitCode()).isZero();
    }
  }

  @Test
  void printsJson() {
    CliRun.Result result =
        CliRun.run(
            "call",
            "--port",
            port(twistedEcho),
            "--json",
            "echo",
            "{'name': 'x', 'raw': b'\\x01', 'pair': (1, 2.5), 'none': None}");
    assertThat(result.out())
        .isEqualTo(
            "{\"name\": \"x\", \"raw\": {\"$bytes\": \"AQ==\"}, \"pair\": [1, 2.5], \"none\":"
                + " null}\n");
  }

  @Test
  void passesKeywordArguments() throws Exception {
    try (TwistedPeer server = TwistedPeer.startServer("call_server.py")) {
      CliRun.Result result =
          CliRun.run("call", "--port", port(server), "describe", "1", "b=b'two'", "c=[3]");
      assertThat(result.out()).isEqualTo("\"a=1 b=b'two' c=[3]\"\n");
      CliRun.Result defaults = CliRun.run("call", "--port", port(server), "describe", "-1");
      assertThat(defaults.out()).isEqualTo("'a=-1 b=None c=()'\n");
    }
  }

  @Test
  void logsInAndCallsThePerspective() throws Exception {
    try (TwistedPeer server = TwistedPeer.startServer(CliRun.exampleTwin("pb6server.py"))) {
      CliRun.Result result =
          CliRun.run(
              "",
              Map.of("PB_PASSWORD", "pass2"),
              "call",
              "--port",
              port(server),
              "--user",
              "user2",
              "foo",
              "14");
      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).isEqualTo("None\n");
      assertThat(
              server
                  .stdout()
                  .await(
                      l -> l.startsWith("I am user2 perspective_foo( 14 )"),
                      java.time.Duration.ofSeconds(10)))
          .isNotNull();

      CliRun.Result fromStdin =
          CliRun.run(
              "pass1\n",
              Map.of(),
              "call",
              "--port",
              port(server),
              "--user",
              "user1",
              "--password-stdin",
              "foo",
              "'x'");
      assertThat(fromStdin.exitCode()).isZero();

      CliRun.Result refused =
          CliRun.run(
              "",
              Map.of("PB_PASSWORD", "wrong"),
              "call",
              "--port",
              port(server),
              "--user",
              "user1",
              "foo",
              "1");
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.err()).isEqualTo("pb call: login failed: UnauthorizedLogin\n");
    }
  }

  @Test
  void logsInAnonymously() throws Exception {
    try (TwistedPeer server = TwistedPeer.startServer(CliRun.exampleTwin("pbanonserver.py"))) {
      CliRun.Result result = CliRun.run("call", "--port", port(server), "--anonymous", "foo", "13");
      assertThat(result.exitCode()).isZero();
      assertThat(
              server
                  .stdout()
                  .await(
                      l -> l.startsWith("I am Anonymous.  perspective_foo(13)"),
                      java.time.Duration.ofSeconds(10)))
          .isNotNull();
    }
  }

  @Test
  void reportsRemoteErrors() {
    CliRun.Result result = CliRun.run("call", "--port", port(twistedEcho), "nosuch");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "pb call: remote error: twisted.spread.flavors.NoSuchMethod: No such method:"
                + " remote_nosuch\n");
  }

  @Test
  void reportsThatItCannotConnect() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    CliRun.Result result = CliRun.run("call", "--port", Integer.toString(closedPort), "echo", "1");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).startsWith("pb call: cannot connect to 127.0.0.1:" + closedPort);
  }

  @Test
  void rejectsBadLiterals() {
    for (List<String> args :
        List.of(List.of("echo", "hello"), List.of("echo", "[1,"), List.of("echo", "a=1", "2"))) {
      CliRun.Result result = CliRun.run(concat("call", "--port", port(twistedEcho), args));
      assertThat(result.exitCode()).as(args.toString()).isEqualTo(2);
      assertThat(result.err()).startsWith("pb call: argument ");
    }
    assertThat(CliRun.run("call", "--port", port(twistedEcho), "echo", "hello").err())
        .contains("\"'hello'\"");
  }

  private static String[] concat(String a, String b, String c, List<String> rest) {
    String[] all = new String[3 + rest.size()];
    all[0] = a;
    all[1] = b;
    all[2] = c;
    for (int i = 0; i < rest.size(); i++) {
      all[3 + i] = rest.get(i);
    }
    return all;
  }

  private static String port(TwistedPeer peer) {
    return Integer.toString(peer.port());
  }
}
