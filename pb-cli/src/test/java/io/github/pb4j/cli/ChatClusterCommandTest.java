package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.userstore.PostgresServer;
import io.github.pb4j.testing.Lines;
import io.github.pb4j.testing.TwistedPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code pb chat-server --cluster}: two and three server processes on one PostgreSQL database,
 * Twisted clients (the seed's style, {@code cluster_chat_client.py}) and {@code pb chat} clients on
 * different servers of one group; a server killed with {@code kill -9} mid-traffic and restarted;
 * two servers migrating an empty database at once.
 */
@ExtendWith(PostgresServer.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ChatClusterCommandTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String GROUP = "#NeedAFourth";
  private static final String CLIENT = "../pb-examples/src/test/python/cluster_chat_client.py";
  private static final String EXPIRY = "3s";

  private PostgresServer.Database db;
  private String url;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void database(PostgresServer.Database database) throws Exception {
    TwistedPeer.requireTwisted();
    db = database;
    url = ChatServerProcess.freshDatabase(database);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void threeServersTwistedAndJavaClientsHearEachOtherExactlyOnce() throws Exception {
    ChatServerProcess s1 = server("s1", "--demo");
    ChatServerProcess s2 = server("s2");
    ChatServerProcess s3 = server("s3");

    CliRun.Running alice = javaChat(s1, "alice", "1234");
    TwistedPeer bob = twistedChat(s2, "bob", "secret");
    CliRun.Running carol = javaChat(s3, "carol", "fido");
    TwistedPeer alice2 = twistedChat(s3, "alice", "1234"); // alice again, on another server.

    // Rounds of 15 lines, well within each session's 64 unanswered messages: past those the
    // server would drop messages to a client that does not keep up, by design.
    int n = 20;
    int round = 5;
    List<Lines> ears = List.of(alice.out, bob.stdout(), carol.out, alice2.stdout());
    for (int r = 0; r < n; r += round) {
      for (int i = r; i < r + round; i++) {
        alice.type("from alice " + i);
        bob.send("from bob " + i);
        carol.type("from carol " + i);
      }
      for (Lines ear : ears) {
        for (String who : List.of("alice", "bob", "carol")) {
          String last = "<" + who + "> says: from " + who + " " + (r + round - 1);
          assertThat(ear.await(last::equals, WAIT))
              .as("%s in %s", last, ear.snapshot())
              .isNotNull();
        }
      }
    }
    for (Lines ear : ears) {
      List<String> heard = ear.snapshot().stream().filter(l -> l.contains(" says: ")).toList();
      assertThat(heard).hasSize(3 * n).doesNotHaveDuplicates();
      for (String who : List.of("alice", "bob", "carol")) {
        assertThat(heard.stream().filter(l -> l.startsWith("<" + who + ">")).toList())
            .isEqualTo(numbered("<" + who + "> says: from " + who + " ", n));
      }
    }
    assertThat(online()).isEqualTo(3);
    for (ChatServerProcess s : List.of(s1, s2, s3)) {
      assertThat(s.process.isAlive()).isTrue();
    }
  }

  @Test
  void aServerKilledMidTrafficLosesItsUsersWhileTheOthersGoOnAndComesBack() throws Exception {
    ChatServerProcess s1 = server("s1", "--demo");
    ChatServerProcess s2 = server("s2");
    ChatServerProcess s3 = server("s3");
    CliRun.Running alice = javaChat(s1, "alice", "1234");
    TwistedPeer bob = twistedChat(s2, "bob", "secret");
    TwistedPeer carol = twistedChat(s3, "carol", "fido");
    assertThat(online()).isEqualTo(3);

    // Batches of 20 lines, within each session's 64 unanswered messages; s3 is killed while the
    // third batch is on its way.
    int n = 200;
    int batch = 20;
    long killed = 0;
    for (int b = 0; b < n; b += batch) {
      for (int i = b; i < b + batch; i++) {
        bob.send("line " + i);
      }
      if (b == 2 * batch) {
        s3.kill(); // kill -9 while bob is sending.
        killed = System.nanoTime();
        assertThat(carol.stdout().await("LOST"::equals, WAIT)).isNotNull();
      }
      String last = "<bob> says: line " + (b + batch - 1);
      assertThat(alice.out.await(last::equals, WAIT))
          .as("%s; alice heard %s, %s", last, alice.out.snapshot(), alice.err.snapshot())
          .isNotNull();
    }

    // The others went on: alice heard all of bob's lines once, in order.
    assertThat(alice.out.snapshot().stream().filter(l -> l.startsWith("<bob>")).toList())
        .isEqualTo(numbered("<bob> says: line ", n));
    assertThat(bob.stdout().await(("SENT " + n)::equals, WAIT)).isNotNull();

    // carol stops being online within the expiry (3 s), and leaves the group one heartbeat later.
    awaitCondition(() -> online() == 2);
    assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(6));
    awaitCondition(() -> count("SELECT count(*) FROM pb4j_chat_members") == 2);
    assertThat(count("SELECT count(*) FROM pb4j_chat_servers")).isEqualTo(2);
    awaitCondition(
        () ->
            List.of(s1, s2).stream()
                .flatMap(s -> s.err.snapshot().stream())
                .anyMatch(l -> l.contains("server s3 stopped its heartbeat")));

    // s3 comes back; carol logs in there again and is in the conversation.
    ChatServerProcess again = server("s3");
    TwistedPeer carol2 = twistedChat(again, "carol", "fido");
    alice.type("welcome back");
    assertThat(carol2.stdout().await("<alice> says: welcome back"::equals, WAIT)).isNotNull();
    assertThat(bob.stdout().await("<alice> says: welcome back"::equals, WAIT)).isNotNull();
    assertThat(online()).isEqualTo(3);
  }

  @Test
  void twoServersStartingAtOnceOnAnEmptyDatabaseMigrateItOnce() throws Exception {
    // Nothing exists yet, not even the user table; both seed the demo users.
    ChatServerProcess a = ChatServerProcess.start(db, url, "a", "--demo");
    ChatServerProcess b = ChatServerProcess.start(db, url, "b", "--demo");
    open.add(a);
    open.add(b);
    a.awaitListening();
    b.awaitListening();
    String migrated = "migrated the chat cluster schema from version 0 to 1";
    String current = "the chat cluster schema is at version 1";
    long migrations =
        List.of(a, b).stream()
            .filter(s -> s.err.snapshot().stream().anyMatch(l -> l.contains(migrated)))
            .count();
    long found =
        List.of(a, b).stream()
            .filter(s -> s.err.snapshot().stream().anyMatch(l -> l.contains(current)))
            .count();
    assertThat(migrations).as("a: %s%nb: %s", a.err.snapshot(), b.err.snapshot()).isEqualTo(1);
    assertThat(found).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM pb4j_chat_schema_version")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM pb4j_chat_servers")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM pb4j_users")).isEqualTo(3);

    // A clean stop (SIGTERM, as Ctrl-C) takes the server's row with it.
    b.close();
    assertThat(b.process.exitValue()).isEqualTo(128 + 15);
    assertThat(count("SELECT count(*) FROM pb4j_chat_servers")).isEqualTo(1);
  }

  private ChatServerProcess server(String name, String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "--cluster-expiry";
    all[1] = EXPIRY;
    System.arraycopy(args, 0, all, 2, args.length);
    ChatServerProcess s = ChatServerProcess.start(db, url, name, all);
    open.add(s);
    s.awaitListening();
    return s;
  }

  private CliRun.Running javaChat(ChatServerProcess server, String user, String password)
      throws Exception {
    CliRun.Running client =
        new CliRun.Running(
            Map.of(),
            "chat",
            "--port",
            Integer.toString(server.port()),
            "--user",
            user,
            "--group",
            GROUP,
            "--password-stdin");
    open.add(client);
    client.type(password);
    assertThat(client.err.await(("* joined " + GROUP)::equals, WAIT))
        .as("%s joined; stderr %s", user, client.err.snapshot())
        .isNotNull();
    return client;
  }

  private TwistedPeer twistedChat(ChatServerProcess server, String user, String password) {
    TwistedPeer peer =
        TwistedPeer.start(
            CLIENT,
            List.of(
                "--port",
                Integer.toString(server.port()),
                "--user",
                user,
                "--password",
                password,
                "--group",
                GROUP));
    open.add(peer);
    assertThat(peer.awaitLine(("JOINED " + GROUP)::equals, WAIT))
        .as("%s joined on %s", user, server.name)
        .isNotNull();
    return peer;
  }

  /** Users online on a live server, as any server would count them. */
  private long online() throws Exception {
    return count(
        "SELECT count(DISTINCT s.username) FROM pb4j_chat_sessions s"
            + " JOIN pb4j_chat_servers v ON v.id = s.server_id WHERE v.expires_at > now()");
  }

  private long count(String sql) throws Exception {
    return ChatServerProcess.count(db, url, sql);
  }

  /** Polls state that lives in the database until it holds. */
  private static void awaitCondition(Check condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.holds()) {
      assertThat(System.nanoTime()).as("condition within %s", WAIT).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  interface Check {
    boolean holds() throws Exception;
  }

  private static List<String> numbered(String prefix, int n) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(prefix + i);
    }
    return lines;
  }
}
