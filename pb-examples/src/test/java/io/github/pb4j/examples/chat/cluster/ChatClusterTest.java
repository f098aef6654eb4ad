package io.github.pb4j.examples.chat.cluster;

import static io.github.pb4j.examples.chat.cluster.ClusterFixture.WAIT;
import static io.github.pb4j.testing.Futures.await;
import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.RemoteFailureException;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.userstore.PostgresServer;
import io.github.pb4j.examples.chat.cluster.ClusterFixture.Node;
import io.github.pb4j.examples.chat.cluster.ClusterFixture.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Chat servers in one JVM sharing groups through PostgreSQL. */
@ExtendWith(PostgresServer.class)
@Timeout(120)
class ChatClusterTest {
  private ClusterFixture cluster;

  @BeforeEach
  void database(PostgresServer.Database database) throws Exception {
    cluster = new ClusterFixture(database);
  }

  @AfterEach
  void close() throws Exception {
    cluster.close();
  }

  @Test
  void aMessageReachesEveryMemberOnEveryServerOnceAndInOrder() throws Exception {
    Node a = cluster.start("a");
    Node b = cluster.start("b");
    Session alice = cluster.login(a, "alice");
    Session bob = cluster.login(b, "bob");
    Session carolA = cluster.login(a, "carol");
    Session carolB = cluster.login(b, "carol");
    RemoteReference aliceGroup = alice.join("#g");
    RemoteReference bobGroup = bob.join("#g");
    carolB.join("#g"); // One member, two sessions on two servers.

    List<CompletableFuture<Object>> sent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sent.add(aliceGroup.callRemote("send", "a" + i));
      sent.add(bobGroup.callRemote("send", "b" + i));
    }
    for (CompletableFuture<Object> f : sent) {
      await(f);
    }
    for (Session s : List.of(alice, bob, carolA, carolB)) {
      List<String> heard = s.heard().awaitCount(100, WAIT);
      assertThat(heard).hasSize(100).doesNotHaveDuplicates();
      assertThat(heard.stream().filter(l -> l.startsWith("<alice>")).toList())
          .isEqualTo(numbered("<alice> says: a", 50));
      assertThat(heard.stream().filter(l -> l.startsWith("<bob>")).toList())
          .isEqualTo(numbered("<bob> says: b", 50));
    }
    // Every server sees the same interleaving: the order the database committed.
    assertThat(alice.heard().snapshot()).isEqualTo(bob.heard().snapshot());

    assertThat(await(a.chat().onlineUsers())).containsExactly("alice", "bob", "carol");
    assertThat(await(b.chat().onlineUsers())).containsExactly("alice", "bob", "carol");
    assertThat(await(bobGroup.callRemote("members"))).isEqualTo(List.of("alice", "bob", "carol"));
    assertThat(await(carolA.perspective().callRemote("groups"))).isEqualTo(List.of("#g"));

    // carol's session on a ends: she is still a member through b.
    carolA.client().close();
    await(aliceGroup.callRemote("send", "still there?"));
    assertThat(carolB.heard().await("<alice> says: still there?"::equals, WAIT)).isNotNull();
    carolB.client().close();
    awaitCondition(() -> await(a.chat().onlineUsers()).equals(List.of("alice", "bob")));
    assertThat(await(aliceGroup.callRemote("members"))).isEqualTo(List.of("alice", "bob"));
    assertThat(await(b.chat().groupNames())).containsExactly("#g");
  }

  @Test
  void aMessageLongerThanANotifyPayloadArrives() throws Exception {
    Node a = cluster.start("a");
    Node b = cluster.start("b");
    Session alice = cluster.login(a, "alice");
    Session bob = cluster.login(b, "bob");
    RemoteReference aliceGroup = alice.join("#long");
    bob.join("#long");
    String message = "€".repeat(4000); // 12,000 bytes of UTF-8.
    await(aliceGroup.callRemote("send", message));
    await(aliceGroup.callRemote("send", "short after long"));
    assertThat(bob.heard().awaitCount(2, WAIT))
        .containsExactly("<alice> says: " + message, "<alice> says: short after long");
    assertThat(cluster.count("SELECT count(*) FROM pb4j_chat_messages")).isEqualTo(1);
  }

  @Test
  void joinsLeavesAndRefusalsAreTheSameOnEveryServer() throws Exception {
    Node a = cluster.start("a");
    Node b = cluster.start("b");
    Session alice = cluster.login(a, "alice");
    Session bob = cluster.login(b, "bob");
    RemoteReference aliceGroup =
        (RemoteReference)
            await(
                alice
                    .perspective()
                    .callRemoteWithKeywords(
                        "joinGroup", List.of("#quiet"), Map.of("allowMattress", false)));
    RemoteReference bobGroup = bob.join("#quiet");
    Throwable refused = failureOf(bobGroup.callRemote("send", "my Mattress"));
    assertThat(refused)
        .isInstanceOfSatisfying(
            RemoteFailureException.class,
            f -> {
              assertThat(f.check("builtins.ValueError")).isTrue();
              assertThat(f.remoteValue()).isEqualTo("Don't say that word");
            });
    assertThat(await(bobGroup.callRemote("leave"))).isEqualTo(true);
    assertThat(failureOf(bobGroup.callRemote("send", "hello")))
        .hasMessageContaining("you left #quiet");
    await(aliceGroup.callRemote("send", "alone now"));
    assertThat(alice.heard().await("<alice> says: alone now"::equals, WAIT)).isNotNull();
    assertThat(await(aliceGroup.callRemote("members"))).isEqualTo(List.of("alice"));
    assertThat(bob.heard().snapshot()).isEmpty();
    assertThat(await(alice.perspective().callRemote("leaveGroup", "#quiet"))).isEqualTo(true);
    assertThat(await(b.chat().groupNames())).isEmpty();
  }

  @Test
  void twoServersStartingOnAnEmptyDatabaseMigrateOnce() throws Exception {
    var first = CompletableFuture.supplyAsync(() -> cluster.start("first"));
    var second = CompletableFuture.supplyAsync(() -> cluster.start("second"));
    Node one = first.get(60, TimeUnit.SECONDS);
    Node two = second.get(60, TimeUnit.SECONDS);
    assertThat(List.of(one.chat().schemaVersionFound(), two.chat().schemaVersionFound()))
        .containsExactlyInAnyOrder(0, ClusterSchema.VERSION);
    assertThat(cluster.count("SELECT count(*) FROM pb4j_chat_schema_version")).isEqualTo(1);
    assertThat(cluster.count("SELECT count(*) FROM pb4j_chat_servers")).isEqualTo(2);
  }

  @Test
  void aServerThatStopsItsHeartbeatIsBuriedAndItsUsersGoOffline() throws Exception {
    Duration beat = Duration.ofMillis(200);
    Duration expiry = Duration.ofSeconds(1);
    Node a = cluster.start(cluster.builder("a").heartbeat(beat, expiry));
    Node b = cluster.start(cluster.builder("b").heartbeat(beat, expiry));
    Session alice = cluster.login(a, "alice");
    Session bob = cluster.login(b, "bob");
    alice.join("#g");
    RemoteReference bobGroup = bob.join("#g");
    assertThat(await(b.chat().onlineUsers())).containsExactly("alice", "bob");

    // a stalls (as if frozen): b declares it dead, alice goes offline and leaves #g.
    a.chat().freezeForTest();
    long stalled = System.nanoTime();
    awaitCondition(() -> await(b.chat().onlineUsers()).equals(List.of("bob")));
    assertThat(Duration.ofNanos(System.nanoTime() - stalled)).isLessThan(expiry.plusSeconds(2));
    awaitCondition(() -> await(bobGroup.callRemote("members")).equals(List.of("bob")));

    // a wakes up, finds itself buried, logs its sessions out and joins again.
    var kicked = new CompletableFuture<Void>();
    alice.client().broker().orElseThrow().notifyOnDisconnect(() -> kicked.complete(null));
    a.chat().thawForTest();
    kicked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    awaitCondition(() -> cluster.count("SELECT count(*) FROM pb4j_chat_servers") == 2);
    Session alice2 = cluster.login(a, "alice");
    alice2.join("#g");
    await(bobGroup.callRemote("send", "welcome back"));
    assertThat(alice2.heard().await("<bob> says: welcome back"::equals, WAIT)).isNotNull();
  }

  @Test
  void aClientThatSendsWithoutWaitingIsRefusedPastItsShareAndOthersGoOn() throws Exception {
    Node a = cluster.start("a");
    Node b = cluster.start("b");
    Session alice = cluster.login(a, "alice");
    Session bob = cluster.login(b, "bob");
    RemoteReference flood = alice.join("#g");
    RemoteReference bobGroup = bob.join("#g");
    List<CompletableFuture<Object>> sent = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      sent.add(flood.callRemote("send", "flood " + i));
    }
    int refused = 0;
    for (CompletableFuture<Object> f : sent) {
      try {
        await(f);
      } catch (Exception e) {
        assertThat(e).hasMessageContaining("too many requests at once");
        refused++;
      }
    }
    assertThat(refused).isPositive();
    int delivered = 1000 - refused;
    assertThat(bob.heard().awaitCount(delivered, WAIT)).hasSize(delivered).doesNotHaveDuplicates();
    await(bobGroup.callRemote("send", "after the flood"));
    assertThat(alice.heard().await("<bob> says: after the flood"::equals, WAIT)).isNotNull();
  }

  @Test
  void aUsernameWithALineFeedCannotJoinTheCluster() throws Exception {
    Node a = cluster.start("a");
    cluster.checker.addUser("eve\nj\n#g", "pw-eve\nj\n#g");
    Throwable refused = failureOf(loginFuture(a, "eve\nj\n#g"));
    assertThat(refused).hasStackTraceContaining("LoginDenied");
    assertThat(cluster.count("SELECT count(*) FROM pb4j_chat_sessions")).isZero();
  }

  private CompletableFuture<?> loginFuture(Node node, String user) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return cluster.login(node, user);
          } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
  }

  @Test
  void aServerWhoseDatabaseConnectionsAreCutReconnectsAndGoesOn() throws Exception {
    Node a = cluster.start("a");
    Node b = cluster.start("b");
    Session alice = cluster.login(a, "alice");
    Session bob = cluster.login(b, "bob");
    RemoteReference aliceGroup = alice.join("#g");
    RemoteReference bobGroup = bob.join("#g");
    await(aliceGroup.callRemote("send", "before"));
    assertThat(bob.heard().await("<alice> says: before"::equals, WAIT)).isNotNull();

    // Every connection of b is terminated: listening, work and heartbeat.
    assertThat(
            cluster.count(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = 'pb4j chat b'"))
        .isEqualTo(3);

    // b listens again by itself (what was notified meanwhile is lost to it: at most once), and
    // reloads the members: alice's lines reach bob again, each once.
    int i = 0;
    while (bob.heard().await(l -> l.startsWith("<alice> says: again"), Duration.ofMillis(200))
        == null) {
      await(aliceGroup.callRemote("send", "again " + i++));
      assertThat(i).as("b never listened again").isLessThan(100);
    }
    await(aliceGroup.callRemote("send", "after"));
    assertThat(bob.heard().await("<alice> says: after"::equals, WAIT)).isNotNull();
    assertThat(bob.heard().snapshot()).doesNotHaveDuplicates();

    // b's work connection failed under it: one request may fail, then b works again.
    Object first = null;
    try {
      first = await(bobGroup.callRemote("send", "from b"));
    } catch (Exception e) {
      assertThat(e).hasMessageContaining("the chat service is unavailable");
      await(bobGroup.callRemote("send", "from b"));
    }
    assertThat(first).isNull();
    assertThat(alice.heard().await("<bob> says: from b"::equals, WAIT)).isNotNull();
    assertThat(await(b.chat().onlineUsers())).containsExactly("alice", "bob");
  }

  /** Waits until {@code condition} holds, polling (the state is in another server's database). */
  static void awaitCondition(Check condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
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
