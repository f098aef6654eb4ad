package io.github.pb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.examples.chatclient.ChatClient;
import io.github.pb4j.examples.chatserver.ChatServer;
import io.github.pb4j.examples.pb5client.Pb5Client;
import io.github.pb4j.examples.pb5server.Pb5Server;
import io.github.pb4j.examples.pb6client1.Pb6Client1;
import io.github.pb4j.examples.pb6client2.Pb6Client2;
import io.github.pb4j.examples.pb6server.Pb6Server;
import io.github.pb4j.examples.pbanonclient.PbAnonClient;
import io.github.pb4j.examples.pbanonserver.PbAnonServer;
import io.github.pb4j.examples.pbsimpleclient.PbSimpleClient;
import io.github.pb4j.examples.pbsimpleserver.PbSimpleServer;
import io.github.pb4j.examples.typedclients.TypedClients;
import io.github.pb4j.testing.Lines;
import io.github.pb4j.testing.TwistedPeer;
import io.github.pb4j.netty.PbServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every example pair, Java and Python twins in every combination, and checks that each program
 * prints what the seed's Python original prints (object addresses aside). Keeps the examples from
 * rotting and shows the two languages interoperate.
 */
@Timeout(60)
class ExamplesTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  enum Peers {
    JAVA_SERVER_JAVA_CLIENT(true, true),
    JAVA_SERVER_PYTHON_CLIENT(true, false),
    PYTHON_SERVER_JAVA_CLIENT(false, true),
    PYTHON_SERVER_PYTHON_CLIENT(false, false);

    final boolean javaServer;
    final boolean javaClient;

    Peers(boolean javaServer, boolean javaClient) {
      this.javaServer = javaServer;
      this.javaClient = javaClient;
    }
  }

  record Client(String name, ExampleRunner.ClientBody java, List<String> prints) {}

  record Pair(
      String server,
      ExampleRunner.ServerStarter java,
      List<String> serverPrints,
      boolean anyOrder,
      List<Client> clients) {}

  private static final Map<String, Pair> PAIRS =
      Map.of(
          "pbsimple",
              new Pair(
                  "pbsimpleserver",
                  PbSimpleServer::start,
                  List.of("echoing: hello network"),
                  false,
                  List.of(
                      new Client(
                          "pbsimpleclient",
                          PbSimpleClient::run,
                          List.of("server echoed: hello network")))),
          "pb5",
              new Pair(
                  "pb5server",
                  Pb5Server::start,
                  List.of("I am user1 perspective_foo( 12 ) called on <object>"),
                  false,
                  List.of(
                      new Client(
                          "pb5client",
                          Pb5Client::run,
                          List.of("got perspective ref: <object>", "asking it to foo(12)")))),
          "pb6",
              new Pair(
                  "pb6server",
                  Pb6Server::start,
                  List.of(
                      "I am user1 perspective_foo( 13 ) called on <object>",
                      "I am user2 perspective_foo( 14 ) called on <object>"),
                  false,
                  List.of(
                      new Client(
                          "pb6client1",
                          Pb6Client1::run,
                          List.of("got perspective1 ref: <object>", "asking it to foo(13)")),
                      new Client(
                          "pb6client2",
                          Pb6Client2::run,
                          List.of("got perspective2 ref: <object>", "asking it to foo(14)")))),
          "pbanon",
              new Pair(
                  "pbanonserver",
                  PbAnonServer::start,
                  List.of(
                      "I am Anonymous.  perspective_foo(13) called on <object>.",
                      "I am user1.  perspective_foo(13) called on <object>."),
                  true,
                  List.of(
                      new Client(
                          "pbanonclient",
                          PbAnonClient::run,
                          List.of(
                              "asking it to foo(13)",
                              "asking it to foo(13)",
                              "got perspective1 ref: <object>",
                              "got perspective1 ref: <object>")))),
          "chat",
              new Pair(
                  "chatserver",
                  ChatServer::start,
                  List.of(),
                  false,
                  List.of(
                      new Client(
                          "chatclient",
                          ChatClient::run,
                          List.of(
                              "connected, joining group #NeedAFourth",
                              "joined group, now sending a message to all members",
                              "<alice> says: You can call me Al.")))));

  static Stream<Arguments> runs() {
    return PAIRS.keySet().stream()
        .sorted()
        .flatMap(pair -> Arrays.stream(Peers.values()).map(peers -> Arguments.of(pair, peers)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("runs")
  void printsWhatThePythonOriginalPrints(String pairName, Peers peers) throws Exception {
    Pair pair = PAIRS.get(pairName);
    Lines serverOut;
    AutoCloseable server;
    int port;
    if (peers.javaServer) {
      serverOut = new Lines();
      PbServer s = pair.java().start(ExampleArgs.of("127.0.0.1", 0, true), serverOut.printStream());
      server = s;
      port = s.port();
    } else {
      TwistedPeer p = TwistedPeer.startServer(pair.server() + ".py");
      server = p;
      port = p.port();
      serverOut = p.stdout();
    }
    try (server) {
      for (Client client : pair.clients()) {
        List<String> printed;
        if (peers.javaClient) {
          Lines out = new Lines();
          client.java().run(ExampleArgs.of("127.0.0.1", port, false), out.printStream());
          printed = out.snapshot();
        } else {
          printed = TwistedPeer.runClient(client.name() + ".py", port);
        }
        assertThat(normalize(printed, pair.anyOrder()))
            .as(client.name())
            .isEqualTo(client.prints());
      }
      int expected = pair.serverPrints().size() + (peers.javaServer ? 0 : 1);
      List<String> printed =
          serverOut.awaitCount(expected, WAIT).stream()
              .filter(line -> !line.startsWith("READY "))
              .toList();
      assertThat(normalize(printed, pair.anyOrder()))
          .as(pair.server())
          .isEqualTo(pair.serverPrints());
    }
  }

  record Typed(String pair, ExampleRunner.ClientBody body, String untyped) {}

  private static final List<Typed> TYPED =
      List.of(
          new Typed("pbsimple", TypedClients::pbSimple, "pbsimpleclient"),
          new Typed("pb5", TypedClients::pb5, "pb5client"),
          new Typed("chat", TypedClients::chat, "chatclient"));

  static Stream<Arguments> typedRuns() {
    return TYPED.stream()
        .flatMap(t -> Stream.of(true, false).map(javaServer -> Arguments.of(t, javaServer)));
  }

  /** The seed's clients on typed proxies print what the untyped ones print, on either server. */
  @ParameterizedTest(name = "{0}, Java server: {1}")
  @MethodSource("typedRuns")
  void typedClientsPrintWhatTheUntypedOnesPrint(Typed typed, boolean javaServer) throws Exception {
    Pair pair = PAIRS.get(typed.pair());
    Client untyped =
        pair.clients().stream().filter(c -> c.name().equals(typed.untyped())).findFirst().orElseThrow();
    AutoCloseable server;
    int port;
    if (javaServer) {
      PbServer s = pair.java().start(ExampleArgs.of("127.0.0.1", 0, true), new Lines().printStream());
      server = s;
      port = s.port();
    } else {
      TwistedPeer p = TwistedPeer.startServer(pair.server() + ".py");
      server = p;
      port = p.port();
    }
    try (server) {
      Lines out = new Lines();
      typed.body().run(ExampleArgs.of("127.0.0.1", port, false), out.printStream());
      assertThat(normalize(out.snapshot(), false)).isEqualTo(untyped.prints());
    }
  }

  /** Replaces object addresses (and class names) by {@code <object>}; sorts if order may vary. */
  static List<String> normalize(List<String> lines, boolean sort) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(line.replaceAll("<[\\w.$]+ object at 0x[0-9a-fA-F]+>", "<object>"));
    }
    if (sort) {
      out.sort(null);
    }
    return out;
  }
}
