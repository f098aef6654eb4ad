package io.github.pb4j.examples.chat.cluster;

import static io.github.pb4j.examples.chat.cluster.ClusterFixture.WAIT;
import static io.github.pb4j.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.RemoteReference;
import io.github.pb4j.examples.chat.cluster.ClusterFixture.Node;
import io.github.pb4j.examples.chat.cluster.ClusterFixture.Session;
import io.github.pb4j.userstore.JdbcUserStore;
import io.github.pb4j.userstore.PostgresServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cluster members started at the same moment on an empty database, each as {@code pb chat-server
 * --cluster} starts: its user store first, then the cluster. For each schema the first to take its
 * lock creates the tables, the others wait and find them current; every member comes up and hears
 * the others. Each round uses a fresh database, so every round races on both schemas.
 */
@ExtendWith(PostgresServer.class)
@Timeout(240)
class ChatClusterStartRaceTest {
  private static final int MEMBERS = 3;
  private static final int ROUNDS = 4;
  private static final List<String> USERS = List.of("alice", "bob", "carol");

  @Test
  void membersStartedAtOnceOnAnEmptyDatabaseAllComeUpAndHearEachOther(
      PostgresServer.Database database) throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      try (ClusterFixture cluster = new ClusterFixture(database)) {
        List<JdbcUserStore> stores = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
          JdbcUserStore store =
              JdbcUserStore.builder(cluster.url)
                  .credentials(database.user(), database.password())
                  .argon2(64, 1, 1)
                  .build();
          cluster.closeLater(store);
          stores.add(store);
        }
        List<Node> nodes = startAtOnce(cluster, stores, round);
        for (JdbcUserStore store : stores) {
          assertThat(await(store.listUsers())).isEqualTo(USERS);
        }

        assertThat(nodes.stream().map(n -> n.chat().schemaVersionFound()).toList())
            .as("round %d: versions found", round)
            .containsOnlyOnce(0)
            .containsOnly(0, ClusterSchema.VERSION);
        assertThat(cluster.count("SELECT count(*) FROM pb4j_chat_schema_version")).isEqualTo(1);
        assertThat(cluster.count("SELECT count(*) FROM pb4j_chat_servers")).isEqualTo(MEMBERS);

        List<Session> sessions = new ArrayList<>();
        List<RemoteReference> groups = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
          Session s = cluster.login(nodes.get(i), USERS.get(i));
          sessions.add(s);
          groups.add(s.join("#race"));
        }
        for (Node node : nodes) {
          assertThat(await(node.chat().onlineUsers())).isEqualTo(USERS);
        }
        for (int i = 0; i < MEMBERS; i++) {
          await(groups.get(i).callRemote("send", "hello from " + USERS.get(i)));
        }
        for (Session s : sessions) {
          for (String who : USERS) {
            String line = "<" + who + "> says: hello from " + who;
            assertThat(s.heard().await(line::equals, WAIT))
                .as("round %d: %s in %s", round, line, s.heard().snapshot())
                .isNotNull();
          }
        }
      }
    }
  }

  /**
   * Starts {@link #MEMBERS} nodes together: each, once released, uses its user store (which
   * creates the user table if missing) and adds one user, then joins the cluster.
   */
  private static List<Node> startAtOnce(
      ClusterFixture cluster, List<JdbcUserStore> stores, int round) throws Exception {
    var barrier = new CyclicBarrier(MEMBERS);
    ExecutorService threads = Executors.newFixedThreadPool(MEMBERS);
    try {
      List<Future<Node>> started = new ArrayList<>();
      for (int i = 0; i < MEMBERS; i++) {
        ChatCluster.Builder builder = cluster.builder("race-" + round + "-" + i);
        JdbcUserStore store = stores.get(i);
        String user = USERS.get(i);
        started.add(
            threads.submit(
                () -> {
                  barrier.await(30, TimeUnit.SECONDS);
                  // As the server does first; true or false, as the others may be done already.
                  store.hasUsers().get(30, TimeUnit.SECONDS);
                  store.addUser(user, ("pw-" + user).toCharArray()).get(30, TimeUnit.SECONDS);
                  return cluster.start(builder);
                }));
      }
      List<Node> nodes = new ArrayList<>();
      for (Future<Node> f : started) {
        nodes.add(f.get(90, TimeUnit.SECONDS));
      }
      return nodes;
    } finally {
      threads.shutdownNow();
    }
  }
}
