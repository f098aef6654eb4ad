package io.github.pb4j.examples.chat.cluster;

import static io.github.pb4j.testing.Futures.awaitUnwrapped;

import io.github.pb4j.PbApplicationException;
import io.github.pb4j.PbLogin;
import io.github.pb4j.PortalRoot;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.userstore.PostgresServer;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.PbServer;
import io.github.pb4j.testing.Lines;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Chat cluster nodes (a {@link ChatCluster} and its {@link PbServer}) in this JVM, on a fresh
 * database of the test PostgreSQL server, and clients for them. Nodes may be started from several
 * threads at once.
 */
final class ClusterFixture implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(15);

  private final PostgresServer.Database server;
  final String url;
  private final List<AutoCloseable> open = Collections.synchronizedList(new ArrayList<>());
  final InMemoryUsernamePasswordDatabaseDontUse checker =
      new InMemoryUsernamePasswordDatabaseDontUse();

  ClusterFixture(PostgresServer.Database server) throws SQLException {
    this.server = server;
    this.url = freshDatabase(server);
    for (String name : List.of("alice", "bob", "carol", "dave")) {
      checker.addUser(name, "pw-" + name);
    }
  }

  /** Creates an empty database on the test server; returns its JDBC URL. */
  static String freshDatabase(PostgresServer.Database server) throws SQLException {
    String name = "chat_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    try (Connection c =
            DriverManager.getConnection(server.url(), server.user(), server.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    int slash = server.url().lastIndexOf('/');
    int query = server.url().indexOf('?', slash);
    return server.url().substring(0, slash + 1)
        + name
        + (query < 0 ? "" : server.url().substring(query));
  }

  /**
   * A node's builder. Sessions may leave 10,000 messages unanswered: the tests send bursts to check
   * fan-out, and a slow test machine must not make the per-session flow control drop some (that is
   * {@code ChatServiceTest}'s subject).
   */
  ChatCluster.Builder builder(String name) {
    return ChatCluster.builder(url)
        .credentials(server.user(), server.password())
        .serverName(name)
        .maxUnanswered(10_000);
  }

  /** A running node. */
  record Node(ChatCluster chat, PbServer server) {}

  Node start(ChatCluster.Builder builder) {
    ChatCluster chat = builder.build().start();
    PbServer pb =
        PbServer.builder()
            .host("127.0.0.1")
            .port(0)
            .rootFactory(PortalRoot.factory(chat.portal(checker)))
            .build()
            .start();
    open.add(chat);
    open.add(pb);
    return new Node(chat, pb);
  }

  /** Closes {@code resource} with the fixture (in reverse order of registration). */
  void closeLater(AutoCloseable resource) {
    open.add(resource);
  }

  Node start(String name) {
    return start(builder(name));
  }

  /** A client's mind: records what it is told. */
  public static final class Mind implements Referenceable {
    final Lines heard = new Lines();

    @Remote
    public @Nullable CompletableFuture<@Nullable Void> print(String message) {
      if (message.contains("\u0000")) {
        throw new PbApplicationException("never");
      }
      heard.add(message);
      return null;
    }
  }

  /** A logged-in client. */
  record Session(PbClient client, RemoteReference perspective, Mind mind) {
    Lines heard() {
      return mind.heard;
    }

    RemoteReference join(String group) throws Exception {
      return (RemoteReference)
          awaitUnwrapped(perspective.callRemoteWithKeywords("joinGroup", List.of(group), Map.of()));
    }
  }

  Session login(Node node, String user) throws Exception {
    PbClient client = PbClient.builder().host("127.0.0.1").port(node.server().port()).build();
    open.add(client);
    RemoteReference root = awaitUnwrapped(client.getRootObject());
    Mind mind = new Mind();
    RemoteReference perspective =
        awaitUnwrapped(PbLogin.login(root, UsernamePassword.of(user, "pw-" + user), mind));
    return new Session(client, perspective, mind);
  }

  /** Runs a query returning one number. */
  long count(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, server.user(), server.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, server.user(), server.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public void close() throws Exception {
    List<AutoCloseable> all;
    synchronized (open) {
      all = new ArrayList<>(open);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      all.get(i).close();
    }
  }
}
