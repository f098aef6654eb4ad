package io.github.pb4j.interop.cred;

import io.github.pb4j.Broker;
import io.github.pb4j.BrokerOptions;
import io.github.pb4j.PortalRoot;
import io.github.pb4j.cred.AllowAnonymousAccess;
import io.github.pb4j.userstore.JdbcUserStore;
import io.github.pb4j.cred.LoginThrottle;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.userstore.PostgresServer;
import io.github.pb4j.interop.JavaScenarioServer;
import io.github.pb4j.interop.ScenarioServer;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Starts the Java server of the cred conformance suite: a {@code PbServer} whose root is {@link
 * PortalRoot#factory(Portal)} over a {@link CredRealm} and the users of a {@link JdbcUserStore},
 * the Java twin of {@code cred_server.py}.
 */
final class JavaCredServer {
  /** A password made to be searched for in logs. */
  static final String DAVES_PASSWORD = "Tr0ub4dor&3-pb4j";

  /** The suite's users and passwords, as in {@code cred_server.py}. */
  static final Map<String, String> USERS = Map.of("alice", "secret", "bob", "hunter2",
      "carol", "fido", "dave", DAVES_PASSWORD, CredRealm.SLEEPY, "zzz");

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger STORES = new AtomicInteger();

  private JavaCredServer() {}

  /**
   * Returns a builder for a user store that PB can log in against: MD5 verifiers on (PB's
   * challenge needs them), and a cheap Argon2 cost so the suite stays fast.
   */
  static JdbcUserStore.Builder configure(JdbcUserStore.Builder builder) {
    return builder.storeMd5Verifier(true).argon2(64, 1, 1);
  }

  /** Adds the suite's users to {@code store} and waits until they are stored. */
  static void addUsers(JdbcUserStore store) throws Exception {
    List<CompletableFuture<Void>> added = USERS.entrySet().stream()
        .map(e -> store.addUser(e.getKey(), e.getValue().toCharArray()))
        .toList();
    CompletableFuture.allOf(added.toArray(CompletableFuture[]::new))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * Starts a server whose users are in a new SQLite file in {@code directory}; closing the server
   * closes the store.
   */
  static ScenarioServer startOnSqlite(Path directory, CheckerSet checkers) throws Exception {
    return startOnSqlite(directory, checkers, null);
  }

  /** Same as {@link #startOnSqlite(Path, CheckerSet)}, over TLS with {@code tls} if not null. */
  static ScenarioServer startOnSqlite(Path directory, CheckerSet checkers, @Nullable SslContext tls)
      throws Exception {
    Path file = directory.resolve("users-" + STORES.incrementAndGet() + ".db");
    return startWithUsers(JdbcUserStore.sqliteBuilder(file), checkers, () -> {}, tls);
  }

  /**
   * Starts a server whose users are in a new table of {@code database}; closing the server closes
   * the store and drops the table.
   */
  static ScenarioServer startOnPostgres(PostgresServer.Database database, CheckerSet checkers)
      throws Exception {
    String table = "cred_it_" + ProcessHandle.current().pid() + "_" + STORES.incrementAndGet();
    JdbcUserStore.Builder builder = JdbcUserStore.builder(database.url())
        .credentials(database.user(), database.password())
        .table(table);
    return startWithUsers(builder, checkers, () -> {
      try (Connection c = DriverManager.getConnection(
              database.url(), database.user(), database.password());
          Statement s = c.createStatement()) {
        s.executeUpdate("DROP TABLE IF EXISTS " + table);
      }
    });
  }

  private static ScenarioServer startWithUsers(
      JdbcUserStore.Builder builder, CheckerSet checkers, AutoCloseable cleanup) throws Exception {
    return startWithUsers(builder, checkers, cleanup, null);
  }

  private static ScenarioServer startWithUsers(JdbcUserStore.Builder builder,
      CheckerSet checkers, AutoCloseable cleanup, @Nullable SslContext tls) throws Exception {
    JdbcUserStore store = configure(builder).build();
    try {
      addUsers(store);
      WarningLog warnings = WarningLog.record();
      ScenarioServer server = start(store, checkers, null, tls);
      return new StoreServer(server, store, cleanup, warnings);
    } catch (Exception | Error e) {
      store.close();
      cleanup.close();
      throw e;
    }
  }

  /** Starts a server checking passwords against {@code store} with {@code checkers}. */
  static ScenarioServer start(JdbcUserStore store, CheckerSet checkers) {
    return start(store, checkers, null);
  }

  /** Same as {@link #start(JdbcUserStore, CheckerSet)}, throttling failed logins if asked. */
  static ScenarioServer start(
      JdbcUserStore store, CheckerSet checkers, @Nullable LoginThrottle throttle) {
    return start(store, checkers, throttle, null);
  }

  private static ScenarioServer start(JdbcUserStore store, CheckerSet checkers,
      @Nullable LoginThrottle throttle, @Nullable SslContext tls) {
    CredRealm realm = new CredRealm();
    Portal.Builder builder = Portal.builder().realm(realm);
    for (String name : checkers.names()) {
      builder.checker(name.equals("anonymous") ? new AllowAnonymousAccess() : store.checker());
    }
    Portal portal = builder.build();
    Function<Broker, Object> roots =
        throttle == null ? PortalRoot.factory(portal) : PortalRoot.factory(portal, throttle);
    return new JavaScenarioServer((broker, sink) -> {
      realm.events(sink);
      return roots.apply(broker);
    }, BrokerOptions.DEFAULT, tls);
  }

  /**
   * A scenario server that also owns its user store; its events include what pb4j logged at WARN
   * or above while it ran.
   */
  private record StoreServer(
      ScenarioServer server, JdbcUserStore store, AutoCloseable cleanup, WarningLog warnings)
      implements ScenarioServer {
    @Override
    public int port() {
      return server.port();
    }

    @Override
    public List<String> events() {
      List<String> all = new ArrayList<>(server.events());
      all.addAll(warnings.events());
      return all;
    }

    @Override
    public void awaitEvent(String event, Duration timeout) throws InterruptedException {
      server.awaitEvent(event, timeout);
    }

    @Override
    public void close() throws Exception {
      try {
        server.close();
      } finally {
        warnings.close();
        store.close();
        cleanup.close();
      }
    }
  }
}
