package io.github.pb4j.examples.chat.cluster;

import static io.github.pb4j.examples.chat.cluster.ChatClusterTest.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.Broker;
import io.github.pb4j.PbLogin;
import io.github.pb4j.PortalRoot;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.userstore.PostgresServer;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.examples.chat.ChatService;
import io.github.pb4j.examples.chat.RefusalLoggingChecker;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.PbServer;
import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat cluster's soak: clients join, chat, disconnect abruptly and reconnect across two servers
 * for a while; then nothing may be left of them. 30 s in the default test run; the long run is
 *
 * <pre>
 * mvn -B -o -pl pb-examples -am test -Dtest=ChatClusterSoakTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dpb4j.soak.duration=10m
 * </pre>
 *
 * <p>At the end it checks: every session logged out exactly once per login (counted by each server
 * and by the clients); no session, membership, group or server row left in the database (besides
 * the two live servers); no avatar and no server-side connection (with its references and pending
 * calls) still reachable; no line delivered twice to one session; the heap after a full GC back
 * within a few MiB of where it was after warm-up.
 */
@ExtendWith(PostgresServer.class)
class ChatClusterSoakTest {
  private static final Logger logger = LoggerFactory.getLogger(ChatClusterSoakTest.class);
  private static final int CLIENTS = 24;
  private static final List<String> GROUPS = List.of("#a", "#b", "#c", "#d");

  private final Set<WeakReference<Object>> avatars = ConcurrentHashMap.newKeySet();
  private final Set<WeakReference<Broker>> brokers = ConcurrentHashMap.newKeySet();
  private final AtomicLong clientLogins = new AtomicLong();
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();

  @Test
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void clientsComeAndGoAndLeaveNothingBehind(PostgresServer.Database database) throws Exception {
    Duration duration = Duration.parse("PT" + System.getProperty("pb4j.soak.duration", "30s"));
    try (ClusterFixture cluster = new ClusterFixture(database)) {
      for (int i = 0; i < CLIENTS; i++) {
        cluster.checker.addUser("user" + i, "pw-user" + i);
      }
      List<ClusterFixture.Node> nodes = new ArrayList<>();
      for (String name : List.of("a", "b")) {
        ChatCluster chat =
            cluster
                .builder(name)
                .heartbeat(Duration.ofSeconds(1), Duration.ofSeconds(3))
                .maxUnanswered(ChatService.MAX_UNANSWERED) // Real flow control, drops included.
                .build()
                .start();
        PbServer server =
            PbServer.builder()
                .host("127.0.0.1")
                .port(0)
                .rootFactory(PortalRoot.factory(recordingPortal(chat, cluster)))
                .onConnection(broker -> brokers.add(new WeakReference<>(broker)))
                .build()
                .start();
        cluster.closeLater(chat);
        cluster.closeLater(server);
        nodes.add(new ClusterFixture.Node(chat, server));
      }

      // Warm up (classes, pools, JIT), then take the baseline.
      run(nodes, Duration.ofSeconds(5));
      awaitQuiet(cluster, nodes);
      long baseline = usedHeapAfterGc();
      long loginsBefore = clientLogins.get();

      run(nodes, duration);
      awaitQuiet(cluster, nodes);

      assertThat(failures).as("client failures").isEmpty();
      long serverLogins = 0;
      for (ClusterFixture.Node node : nodes) {
        assertThat(node.chat().logouts())
            .as("logouts on %s", node.chat().serverName())
            .isEqualTo(node.chat().logins());
        serverLogins += node.chat().logins();
      }
      assertThat(serverLogins).isEqualTo(clientLogins.get());
      assertThat(duplicates.get()).isZero();
      assertThat(cluster.count("SELECT count(*) FROM pb4j_chat_sessions")).isZero();
      assertThat(cluster.count("SELECT count(*) FROM pb4j_chat_members")).isZero();
      assertThat(cluster.count("SELECT count(*) FROM pb4j_chat_groups")).isZero();
      assertThat(cluster.count("SELECT count(*) FROM pb4j_chat_servers")).isEqualTo(2);
      for (ClusterFixture.Node node : nodes) {
        assertThat(node.chat().localSessions()).isZero();
        assertThat(node.server().connections()).isEmpty();
        assertThat(node.chat().bus().duplicates()).isZero();
      }
      awaitCondition(
          () -> {
            System.gc();
            avatars.removeIf(ref -> ref.get() == null);
            brokers.removeIf(ref -> ref.get() == null);
            return avatars.isEmpty() && brokers.isEmpty();
          });
      // Measured once this test's own records of every avatar and broker (two weak references
      // per login: some 150 B each, 20 MiB over a 10-minute soak) are gone.
      long after = usedHeapAfterGc();
      logger.info(
          "soak of {}: {} logins, {} messages sent, {} lines delivered; heap {} KiB -> {} KiB",
          duration,
          clientLogins.get() - loginsBefore,
          messages.get(),
          nodes.get(0).chat().bus().delivered() + nodes.get(1).chat().bus().delivered(),
          baseline / 1024,
          after / 1024);
      if (after - baseline >= 16L << 20) {
        logger.warn(
            "heap grew by {} KiB; the largest classes:\n{}",
            (after - baseline) / 1024,
            histogram());
      }
      assertThat(after - baseline).as("heap growth").isLessThan(16L << 20);
    }
  }

  /** The cluster's portal, remembering every avatar it hands out (weakly). */
  private Portal recordingPortal(ChatCluster chat, ClusterFixture cluster) {
    Realm realm = chat.realm();
    Realm recording =
        (id, mind, interfaces) ->
            realm
                .requestAvatar(id, mind, interfaces)
                .thenApply(
                    result -> {
                      avatars.add(new WeakReference<>(result.avatar()));
                      return result;
                    });
    return Portal.builder()
        .realm(recording)
        .checker(new RefusalLoggingChecker(cluster.checker))
        .build();
  }

  /** Runs every client until {@code duration} is over. */
  private void run(List<ClusterFixture.Node> nodes, Duration duration) throws Exception {
    long deadline = System.nanoTime() + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      String user = "user" + i;
      Thread t =
          new Thread(
              () -> {
                while (System.nanoTime() < deadline) {
                  try {
                    session(nodes, user);
                  } catch (Throwable e) {
                    failures.add(e);
                    return;
                  }
                }
              },
              "soak-" + user);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(duration.plusMinutes(2).toMillis());
      assertThat(t.isAlive()).isFalse();
    }
  }

  /** One login: join, chat, maybe leave, then drop the connection without a word. */
  private void session(List<ClusterFixture.Node> nodes, String user) throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    ClusterFixture.Node node = nodes.get(random.nextInt(nodes.size()));
    try (PbClient client =
        PbClient.builder().host("127.0.0.1").port(node.server().port()).build()) {
      RemoteReference root = client.getRootObject().get(20, TimeUnit.SECONDS);
      ClusterFixture.Mind mind = new ClusterFixture.Mind();
      RemoteReference perspective =
          PbLogin.login(root, UsernamePassword.of(user, "pw-" + user), mind)
              .get(20, TimeUnit.SECONDS);
      clientLogins.incrementAndGet();
      List<RemoteReference> joined = new ArrayList<>();
      for (String group : GROUPS) {
        if (random.nextInt(3) == 0 || joined.isEmpty() && group.equals("#d")) {
          joined.add(
              (RemoteReference)
                  perspective
                      .callRemoteWithKeywords("joinGroup", List.of(group), Map.of())
                      .get(20, TimeUnit.SECONDS));
        }
      }
      int sends = random.nextInt(1, 8);
      for (int i = 0; i < sends; i++) {
        RemoteReference group = joined.get(random.nextInt(joined.size()));
        var sent = group.callRemote("send", user + " " + messages.incrementAndGet());
        if (random.nextBoolean()) {
          sent.get(20, TimeUnit.SECONDS);
        }
      }
      if (random.nextInt(4) == 0) {
        joined.get(0).callRemote("leave").get(20, TimeUnit.SECONDS);
      }
      if (random.nextInt(3) == 0) {
        Thread.sleep(random.nextInt(200)); // Stay a little, hearing others.
      }
      // Messages only: two notices of drops ("* 2 messages to you were dropped ...") may read alike.
      List<String> heard =
          mind.heard.snapshot().stream().filter(l -> l.contains("> says: ")).toList();
      if (heard.size() != Set.copyOf(heard).size()) {
        duplicates.incrementAndGet();
      }
      // Releasing the avatar logs out, as in Twisted: keep it until the connection drops.
      Reference.reachabilityFence(perspective);
    } // Closing drops the connection abruptly: no logout message exists in PB.
  }

  /** Waits until both servers have logged everyone out and the database is empty of them. */
  private static void awaitQuiet(ClusterFixture cluster, List<ClusterFixture.Node> nodes)
      throws Exception {
    awaitCondition(
        () ->
            nodes.stream().allMatch(n -> n.chat().localSessions() == 0)
                && nodes.stream().allMatch(n -> n.server().connections().isEmpty()));
    for (ClusterFixture.Node node : nodes) {
      node.chat().idle().get(30, TimeUnit.SECONDS);
    }
    awaitCondition(() -> cluster.count("SELECT count(*) FROM pb4j_chat_sessions") == 0);
  }

  /** The top of this JVM's class histogram, to tell what grew. */
  private static String histogram() {
    try {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(ProcessHandle.current().pid()),
                  "GC.class_histogram")
              .redirectErrorStream(true)
              .start();
      String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      jcmd.waitFor(30, TimeUnit.SECONDS);
      return out.lines().limit(30).collect(Collectors.joining("\n"));
    } catch (IOException | InterruptedException e) {
      return "(no histogram: " + e + ")";
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100); // Let reference processing finish between collections.
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
