package io.github.pb4j.cli;

import io.github.pb4j.PortalRoot;
import io.github.pb4j.cred.JdbcUserStore;
import io.github.pb4j.cred.LoginThrottle;
import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.examples.chat.ChatService;
import io.github.pb4j.netty.PbServer;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pb chat-server}: serves {@link ChatService} (the seed's final chat design) to users in a
 * {@link JdbcUserStore}, with failed logins throttled, until stopped (Ctrl-C).
 */
@Command(
    name = "chat-server",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the chat service to the users of a user store.",
      "The seed's final chat design: avatars per user, groups as viewables, joinGroup(groupname, "
          + "allowMattress=True), messages to each client's remote print.",
      "Users come from the user store (see 'pb users'); --demo adds the seed's bridge club "
          + "(alice/1234, bob/secret, carol/fido) to an empty store. Runs until Ctrl-C.",
      "Logins, joins, leaves and refusals are logged on stderr."
    },
    footer = {
      "%nExamples:",
      "  pb chat-server --demo",
      "  pb chat-server --port 9000 --db /var/lib/chat/users.db",
      "  PB_DB_PASSWORD=... pb chat-server --db-url jdbc:postgresql://localhost/chat --db-user chat"
    })
final class ChatServerCommand implements Callable<Integer> {
  /** The seed's bridge club: name and password. */
  static final List<String[]> DEMO_USERS =
      List.of(
          new String[] {"alice", "1234"},
          new String[] {"bob", "secret"},
          new String[] {"carol", "fido"});

  private final Terminal terminal;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = ExampleArgs.DEFAULT_HOST,
      description =
          "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
  String host = ExampleArgs.DEFAULT_HOST;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8800",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = ExampleArgs.DEFAULT_PORT;

  @Mixin UserStoreOptions store = new UserStoreOptions();

  @Option(
      names = "--demo",
      description = "Add alice, bob and carol (the seed's users) if the store has no users.")
  boolean demo;

  @Mixin ClusterOptions cluster = new ClusterOptions();

  ChatServerCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new CliException(PbCli.USAGE, "--port: " + port + " (expected: 0..65535)");
    }
    try (JdbcUserStore users = store.open(terminal)) {
      boolean hasUsers = users.hasUsers().get(30, TimeUnit.SECONDS);
      if (!hasUsers && demo) {
        for (String[] user : DEMO_USERS) {
          users.addUser(user[0], user[1].toCharArray()).get(30, TimeUnit.SECONDS);
        }
        terminal
            .err()
            .println(
                "pb chat-server: added the demo users alice, bob and carol to " + store.describe());
      } else if (!hasUsers) {
        terminal
            .err()
            .println(
                "pb chat-server: "
                    + store.describe()
                    + " has no users yet: add some with 'pb users add NAME', or start with --demo");
      }
      ClusterOptions.Chat chat = cluster.start(store, terminal);
      PbServer server;
      try {
        server =
            PbServer.builder()
                .host(host)
                .port(port)
                .rootFactory(
                    PortalRoot.factory(
                        chat.portal(users.checker()), LoginThrottle.builder().build()))
                .build()
                .start();
      } catch (UncheckedIOException e) {
        chat.close();
        throw new CliException(
            PbCli.CANNOT_CONNECT,
            "cannot listen on " + host + ":" + port + ": " + e.getCause().getMessage(),
            e);
      }
      try {
        terminal
            .out()
            .println(
                "chat server listening on "
                    + host
                    + ":"
                    + server.port()
                    + " (users: "
                    + store.describe()
                    + ")");
        terminal.out().flush();
        terminal.shutdownRequested().join();
      } finally {
        server.close();
        chat.close();
      }
    }
    return PbCli.OK;
  }
}
