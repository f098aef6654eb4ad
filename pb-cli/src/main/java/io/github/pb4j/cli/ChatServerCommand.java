package io.github.pb4j.cli;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.PortalRoot;
import io.github.pb4j.userstore.JdbcUserStore;
import io.github.pb4j.cred.LoginThrottle;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.TlsClientCertificateChecker;
import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.examples.chat.ChatService;
import io.github.pb4j.netty.PbServer;
import io.netty.handler.ssl.SslContext;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
      "With --tls-cert and --tls-key it serves over TLS; with --tls-client-ca too, clients "
          + "presenting a certificate of those CAs log in as its CN without a password.",
      "Logins, joins, leaves and refusals are logged on stderr.",
      "A client silent for --keepalive seconds is probed; one that does not answer within "
          + "--keepalive-timeout seconds is disconnected and logged out.",
      "Before it listens, the server spends up to --warm-up seconds logging in-process clients "
          + "in over loopback through a private portal (less once the JIT has compiled the "
          + "path), so that a crowd reconnecting after a restart is served at full speed from "
          + "the first second."
    },
    footer = {
      "%nExamples:",
      "  pb chat-server --demo",
      "  pb chat-server --port 9000 --db /var/lib/chat/users.db",
      "  pb chat-server --demo --keepalive 20 --keepalive-timeout 10",
      "  pb chat-server --demo --warm-up 0",
      "  pb chat-server --tls-cert server.pem --tls-key server-key.pem --no-md5",
      "  pb chat-server --tls-cert server.pem --tls-key server-key.pem --tls-client-ca ca.pem",
      "  pb chat-server --demo --metrics-port 9464 --max-connections-per-address 50",
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

  @Mixin KeepaliveOptions keepalive = new KeepaliveOptions();

  @Mixin ServerTlsOptions tls = new ServerTlsOptions();

  @Mixin OperationsOptions operations = new OperationsOptions();

  @Option(
      names = "--demo",
      description = "Add alice, bob and carol (the seed's users) if the store has no users.")
  boolean demo;

  @Mixin ClusterOptions cluster = new ClusterOptions();

  /** The default of {@code --warm-up}, in seconds: see docs/operations.md, "Start-up: warm-up". */
  static final String DEFAULT_WARM_UP = "2";

  /** The longest {@code --warm-up}: a start-up delay beyond this is surely a mistake. */
  static final double MAX_WARM_UP_SECONDS = 300;

  @Option(
      names = "--warm-up",
      paramLabel = "SECONDS",
      defaultValue = DEFAULT_WARM_UP,
      description =
          "Before listening, log in-process clients in and out for at most this long (less once "
              + "the JIT has gone quiet), so that the first clients after a start meet compiled "
              + "code; 0 listens at once "
              + "(default: ${DEFAULT-VALUE}).")
  double warmUpSeconds = Double.parseDouble(DEFAULT_WARM_UP);

  ChatServerCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new CliException(PbCli.USAGE, "--port: " + port + " (expected: 0..65535)");
    }
    io.github.pb4j.BrokerOptions options = keepalive.serverOptions();
    SslContext sslContext = tls.context();
    if (store.noMd5 && sslContext == null) {
      terminal.err().println("pb chat-server: with --no-md5 and no TLS nobody can log in with a"
          + " password: Twisted's challenge needs the MD5 verifier, and pb4j clients send"
          + " passwords only over TLS (add --tls-cert and --tls-key)");
    }
    operations.validate();
    Duration warmUp = warmUp();
    try (JdbcUserStore users = store.open(terminal);
        OperationsOptions.Running ops = operations.start(terminal)) {
      boolean hasUsers = users.hasUsers().get(30, TimeUnit.SECONDS);
      if (!hasUsers && demo) {
        for (String[] user : DEMO_USERS) {
          addDemoUser(users, user[0], user[1]);
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
      Portal portal =
          tls.mutual()
              ? chat.portal(users.checker(), new TlsClientCertificateChecker())
              : chat.portal(users.checker());
      PbServer server;
      try {
        PbServer.Builder builder =
            ops.configure(PbServer.builder(), options)
                .host(host)
                .port(port)
                .rootFactory(PortalRoot.factory(portal, LoginThrottle.builder().build()))
                .warmUp(warmUp);
        if (sslContext != null) {
          builder.sslContext(sslContext);
        }
        long starting = System.nanoTime();
        server = builder.build().start();
        if (!warmUp.isZero()) {
          terminal.err().printf(java.util.Locale.ROOT,
              "pb chat-server: warmed up for %.1f s before listening (--warm-up)%n",
              (System.nanoTime() - starting) / 1e9);
        }
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
                    + (sslContext == null ? "" : tls.mutual() ? " over mutual TLS" : " over TLS")
                    + " (users: "
                    + store.describe()
                    + (store.noMd5 ? ", no MD5 verifiers" : "")
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

  private Duration warmUp() {
    if (!(warmUpSeconds >= 0) || warmUpSeconds > MAX_WARM_UP_SECONDS) {
      throw new CliException(PbCli.USAGE, "--warm-up: " + warmUpSeconds
          + " (expected: 0 to " + (long) MAX_WARM_UP_SECONDS + " seconds)");
    }
    return Duration.ofNanos(Math.round(warmUpSeconds * 1e9));
  }

  /**
   * Adds one demo user; one that exists already was added by another server starting on the same
   * store at the same moment, which is fine.
   */
  private static void addDemoUser(JdbcUserStore users, String name, String password)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      users.addUser(name, password.toCharArray()).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof IllegalStateException)) {
        throw e;
      }
    }
  }
}
