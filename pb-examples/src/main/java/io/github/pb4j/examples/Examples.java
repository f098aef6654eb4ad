package io.github.pb4j.examples;

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
import java.io.PrintStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The runnable examples by name, as {@code ./pb example NAME} runs them.
 *
 * <p><em>Immutable.</em>
 */
public final class Examples {
  /** Runs an example with its parsed command line; returns the exit code. */
  @FunctionalInterface
  public interface Launcher {
    /**
     * @param stop completes when a server should stop (clients ignore it)
     */
    int run(ExampleArgs args, PrintStream out, PrintStream err, CompletionStage<?> stop);
  }

  /**
   * One example.
   *
   * @param name the name {@code ./pb example} takes
   * @param twin the Twisted program it mirrors
   * @param server whether it is a server (which runs until stopped)
   * @param summary one line for listings
   * @param launcher runs it
   */
  public record Example(
      String name, String twin, boolean server, String summary, Launcher launcher) {
    public Example {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(twin, "twin");
      Objects.requireNonNull(summary, "summary");
      Objects.requireNonNull(launcher, "launcher");
    }
  }

  private static final List<Example> ALL =
      List.of(
          server(
              "pbsimpleserver",
              "pbsimpleserver.py",
              "root object whose echo(x) returns x",
              PbSimpleServer::start),
          client(
              "pbsimpleclient",
              "pbsimpleclient.py",
              "calls echo('hello network') on the root",
              PbSimpleClient::run),
          server(
              "pb5server",
              "pb5server.py",
              "one user (user1/pass1), one avatar per login",
              Pb5Server::start),
          client("pb5client", "pb5client.py", "logs in as user1, calls foo(12)", Pb5Client::run),
          server(
              "pb6server",
              "pb6server.py",
              "two users (user1/pass1, user2/pass2)",
              Pb6Server::start),
          client("pb6client1", "pb6client1.py", "logs in as user1, calls foo(13)", Pb6Client1::run),
          client("pb6client2", "pb6client2.py", "logs in as user2, calls foo(14)", Pb6Client2::run),
          server(
              "pbanonserver", "pbAnonServer.py", "named and anonymous logins", PbAnonServer::start),
          client(
              "pbanonclient",
              "pbAnonClient.py",
              "logs in anonymously and as user1, calls foo(13)",
              PbAnonClient::run),
          server(
              "chatserver",
              "chatserver.py",
              "chat server for alice/1234, bob/secret, carol/fido",
              ChatServer::start),
          client(
              "chatclient",
              "chatclient.py",
              "alice joins #NeedAFourth and says hello",
              ChatClient::run),
          client(
              "typed-pbsimpleclient",
              "pbsimpleclient.py",
              "pbsimpleclient on a typed proxy (RemoteProxy)",
              TypedClients::pbSimple),
          client(
              "typed-pb5client",
              "pb5client.py",
              "pb5client on a typed proxy (RemoteProxy)",
              TypedClients::pb5),
          client(
              "typed-chatclient",
              "chatclient.py",
              "chatclient on typed proxies (RemoteProxy)",
              TypedClients::chat));

  private Examples() {}

  /** Returns every example, servers before their clients. */
  public static List<Example> all() {
    return ALL;
  }

  /** Returns the example called {@code name}, ignoring case. */
  public static Optional<Example> find(String name) {
    return ALL.stream().filter(e -> e.name().equalsIgnoreCase(name)).findFirst();
  }

  private static Example server(
      String name, String twin, String summary, ExampleRunner.ServerStarter starter) {
    return new Example(
        name,
        twin,
        true,
        summary,
        (args, out, err, stop) -> ExampleRunner.serve(name, args, starter, out, err, stop));
  }

  private static Example client(
      String name, String twin, String summary, ExampleRunner.ClientBody body) {
    return new Example(
        name,
        twin,
        false,
        summary,
        (args, out, err, stop) -> ExampleRunner.runClient(name, args, body, out, err));
  }
}
