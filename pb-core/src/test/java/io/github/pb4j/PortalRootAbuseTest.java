package io.github.pb4j;

import static io.github.pb4j.testing.Futures.failureOf;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.CredentialsChecker;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.userstore.JdbcUserStore;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.LoginThrottle;
import io.github.pb4j.cred.Md5ChallengeCredentials;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.jelly.Tuple;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile logins against {@link PortalRoot}: responses pipelined on one connection, floods of valid
 * logins, huge usernames, and guessing meant to lock a user out. The tests call the root of a
 * {@link FakeConnection} on its event loop, all in one task, as the broker does for messages that
 * arrive together.
 */
@Timeout(60)
class PortalRootAbuseTest {
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final ExecutorService checkerThread = Executors.newSingleThreadExecutor();
  private final AtomicInteger checks = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    checkerThread.shutdownNow();
  }

  private static final Realm REALM = (id, mind, interfaces) -> CompletableFuture.completedFuture(
      LoginResult.of(Avatar.class, new Avatar() {}));

  /** Alice and Bob in memory, behind a checker that counts its calls and answers on a thread. */
  private Portal countingPortal() {
    var users = new InMemoryUsernamePasswordDatabaseDontUse()
        .addUser("alice", "secret").addUser("bob", "hunter2");
    CredentialsChecker counting = new CredentialsChecker() {
      @Override
      public Set<Class<? extends Credentials>> credentialInterfaces() {
        return users.credentialInterfaces();
      }

      @Override
      public CompletionStage<AvatarId> requestAvatarId(Credentials credentials) {
        checks.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> users.requestAvatarId(credentials), checkerThread)
            .thenCompose(f -> f);
      }
    };
    return Portal.builder().realm(REALM).checker(counting).build();
  }

  private FakeConnection connect(Function<Broker, Object> factory, @Nullable SocketAddress address) {
    FakeConnection connection = new FakeConnection(factory, address);
    closeables.add(connection);
    return connection;
  }

  /**
   * Sends {@code count} logins of {@code username} with {@code password} as one pipelined burst:
   * every {@code login} and {@code respond} is handled before any check completes.
   */
  private static List<CompletableFuture<Object>> burst(
      FakeConnection connection, String username, String password, int count) {
    return connection.call(() -> {
      List<CompletableFuture<Object>> logins = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        logins.add(respond(connection.portalRoot().login(ByteString.utf8(username)), password));
      }
      return logins;
    });
  }

  private static CompletableFuture<Object> respond(Tuple challengeAndChallenger, String password) {
    byte[] challenge = ((ByteString) challengeAndChallenger.get(0)).toByteArray();
    var challenger = (PortalRoot.Challenger) challengeAndChallenger.get(1);
    byte[] response = Md5ChallengeCredentials.respond(password.getBytes(UTF_8), challenge);
    return challenger.respond(ByteString.of(response), null);
  }

  private static Object login(FakeConnection connection, String username, String password)
      throws Exception {
    return connection.call(() -> respond(connection.portalRoot().login(ByteString.utf8(username)),
        password)).get(20, TimeUnit.SECONDS);
  }

  private static void awaitAll(List<CompletableFuture<Object>> futures) {
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null).orTimeout(30, TimeUnit.SECONDS).join();
  }

  // ---------------------------------------------------------------- defect 8

  @Test
  void aPipelinedBurstOfWrongResponsesGetsNoMoreChecksThanTheBudget() throws Exception {
    // Past the budget a guess waits a growing delay, from 1 s by default: a burst that takes
    // longer than that on a loaded machine would rightly get a sixth check. The delay here
    // outlasts any test, so the count is the budget's alone.
    LoginThrottle throttle = LoginThrottle.builder().maxFailures(5).initialDelay(Duration.ofMinutes(10)).build();
    FakeConnection attacker = connect(PortalRoot.factory(countingPortal(), throttle),
        FakeConnection.ipv4(10, 0, 0, 66));

    List<CompletableFuture<Object>> guesses = burst(attacker, "alice", "wrong", 1000);
    awaitAll(guesses);

    assertThat(checks).as("checks run for 1000 pipelined wrong responses").hasValueLessThanOrEqualTo(5);
    for (CompletableFuture<Object> guess : guesses) {
      assertThat(failureOf(guess)).isInstanceOf(UnauthorizedLoginException.class);
    }
  }

  @Test
  void burstsOnManyConnectionsFromOneAddressShareTheBudget() throws Exception {
    // A delay longer than the test (see above): a slow run must not earn the burst a sixth check.
    LoginThrottle throttle = LoginThrottle.builder().maxFailures(5).initialDelay(Duration.ofMinutes(10)).build();
    Function<Broker, Object> factory = PortalRoot.factory(countingPortal(), throttle);
    List<CompletableFuture<Object>> guesses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      guesses.addAll(burst(connect(factory, FakeConnection.ipv4(10, 0, 0, 66)), "alice", "wrong", 100));
    }
    awaitAll(guesses);

    assertThat(checks).hasValueLessThanOrEqualTo(5);
  }

  // ---------------------------------------------------------------- defect 10

  @Test
  void aFloodOfValidLoginsByBobDoesNotRefuseAlice(@TempDir Path dir) throws Exception {
    var storeThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024));
    closeables.add(storeThread::shutdownNow);
    JdbcUserStore users = JdbcUserStore.sqliteBuilder(dir.resolve("users.db"))
        .storeMd5Verifier(true).argon2(64, 1, 1).executor(storeThread).build();
    closeables.add(users);
    users.addUser("alice", "secret".toCharArray()).get(10, TimeUnit.SECONDS);
    users.addUser("bob", "hunter2".toCharArray()).get(10, TimeUnit.SECONDS);
    Function<Broker, Object> factory = PortalRoot.factory(
        Portal.builder().realm(REALM).checker(users.checker()).build());
    // The store's thread is busy until alice has asked, so bob's flood is all queued at once.
    var busy = new CountDownLatch(1);
    storeThread.execute(() -> {
      try {
        busy.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    List<CompletableFuture<Object>> flood =
        burst(connect(factory, FakeConnection.ipv4(10, 0, 0, 66)), "bob", "hunter2", 3000);
    FakeConnection alice = connect(factory, FakeConnection.ipv4(10, 0, 0, 7));
    CompletableFuture<Object> aliceLogin = burst(alice, "alice", "secret", 1).get(0);
    busy.countDown();

    assertThat(aliceLogin.get(20, TimeUnit.SECONDS)).isInstanceOf(PerspectiveAdapter.class);
    awaitAll(flood);
    assertThat(flood.stream().filter(f -> !f.isCompletedExceptionally()).count())
        .as("bob's logins that got through").isPositive();
  }

  // ---------------------------------------------------------------- defect 11

  @Test
  void aHugeUsernameIsRefusedBeforeTheThrottleAndTheChecker() throws Exception {
    LoginThrottle throttle = LoginThrottle.builder().build();
    FakeConnection attacker = connect(PortalRoot.factory(countingPortal(), throttle),
        FakeConnection.ipv4(10, 0, 0, 66));
    ByteString huge = ByteString.of(new byte[600_000]);

    Object outcome = attacker.call(() -> {
      try {
        return respond(attacker.portalRoot().login(huge), "x");
      } catch (RuntimeException e) {
        return e;
      }
    });
    Throwable refused = outcome instanceof CompletableFuture<?> f ? failureOf(f) : (Throwable) outcome;

    assertThat(refused).isInstanceOf(UnauthorizedLoginException.class)
        .hasMessageContaining("username");
    assertThat(throttle.trackedKeys()).isZero();
    assertThat(checks).hasValue(0);
  }

  // ---------------------------------------------------------------- defect 12

  @Test
  void wrongGuessesFromOneAddressDoNotStopTheUserFromAnother() throws Exception {
    LoginThrottle throttle = LoginThrottle.builder().maxFailures(5).build();
    Function<Broker, Object> factory = PortalRoot.factory(countingPortal(), throttle);
    FakeConnection attacker = connect(factory, FakeConnection.ipv4(10, 0, 0, 66));
    for (int i = 0; i < 20; i++) {
      assertThat(failureOf(burst(attacker, "alice", "guess" + i, 1).get(0)))
          .isInstanceOf(UnauthorizedLoginException.class);
    }

    FakeConnection alice = connect(factory, FakeConnection.ipv4(192, 168, 1, 2));
    assertThat(login(alice, "alice", "secret")).isInstanceOf(PerspectiveAdapter.class);
    assertThatThrownBy(() -> login(attacker, "alice", "secret"))
        .as("the attacker's address still waits").hasCauseInstanceOf(UnauthorizedLoginException.class);
  }
  @Test
  void aUserAttackedFromManyAddressesStillLogsInFromAKnownAddress() throws Exception {
    LoginThrottle throttle = LoginThrottle.builder().maxFailures(3).maxFailuresPerUser(10)
        .initialDelay(Duration.ofHours(1)).maxDelay(Duration.ofHours(1)).build();
    Function<Broker, Object> factory = PortalRoot.factory(countingPortal(), throttle);
    FakeConnection home = connect(factory, FakeConnection.ipv4(192, 168, 1, 2));
    assertThat(login(home, "alice", "secret")).isInstanceOf(PerspectiveAdapter.class);
    for (int address = 1; address <= 4; address++) {
      awaitAll(burst(connect(factory, FakeConnection.ipv4(10, 0, 0, address)), "alice", "wrong", 3));
    }
    int checksByAttackers = checks.get() - 1;

    assertThat(login(home, "alice", "secret")).isInstanceOf(PerspectiveAdapter.class);
    assertThatThrownBy(() -> login(connect(factory, FakeConnection.ipv4(172, 16, 0, 1)), "alice", "secret"))
        .as("an address alice never logged in from, past alice's budget")
        .hasCauseInstanceOf(UnauthorizedLoginException.class);
    assertThat(checksByAttackers).as("the user's budget bounds the attackers' checks").isEqualTo(10);
  }

  // ---------------------------------------------------------------- more of the same class

  @Test
  void aHugeUsernameSentAsTextIsRefusedToo() {
    FakeConnection attacker = connect(PortalRoot.factory(countingPortal()), null);

    assertThatThrownBy(() -> attacker.portalRoot().login("\u00e9".repeat(PortalRoot.MAX_USERNAME_BYTES / 2 + 1)))
        .isInstanceOf(UnauthorizedLoginException.class)
        .hasMessage("username: too long (expected: at most 1024 UTF-8 bytes)");
    assertThat(attacker.portalRoot().login("\u00e9".repeat(PortalRoot.MAX_USERNAME_BYTES / 2)))
        .as("1024 bytes exactly").isNotNull();
  }

  @Test
  void aResponseOfTheWrongLengthFailsWithoutACheckOrAGuess() throws Exception {
    LoginThrottle throttle = LoginThrottle.builder().build();
    FakeConnection attacker = connect(PortalRoot.factory(countingPortal(), throttle),
        FakeConnection.ipv4(10, 0, 0, 66));

    CompletableFuture<Object> refused = attacker.call(() -> {
      var challenger = (PortalRoot.Challenger) attacker.portalRoot().login(ByteString.utf8("alice")).get(1);
      return challenger.respond(ByteString.of(new byte[600_000]), null);
    });

    assertThat(failureOf(refused)).isInstanceOf(UnauthorizedLoginException.class);
    assertThat(checks).hasValue(0);
    assertThat(throttle.trackedKeys()).isZero();
  }

  @Test
  void anAnonymousFloodDoesNotRefuseOthers() throws Exception {
    var realmGate = new CompletableFuture<Void>();
    AtomicInteger realmCalls = new AtomicInteger();
    // The flooder's admitted logins reach the realm on its own thread, maybe after alice's.
    CountDownLatch admittedAndAlice = new CountDownLatch(2 + 1);
    Realm slowRealm = (id, mind, interfaces) -> {
      realmCalls.incrementAndGet();
      admittedAndAlice.countDown();
      return id.isAnonymous()
          ? realmGate.thenApply(v -> LoginResult.of(Avatar.class, new Avatar() {}))
          : REALM.requestAvatar(id, mind, interfaces);
    };
    Portal portal = Portal.builder().realm(slowRealm)
        .checker(new InMemoryUsernamePasswordDatabaseDontUse().addUser("alice", "secret"))
        .checker(new io.github.pb4j.cred.AllowAnonymousAccess()).build();
    Function<Broker, Object> factory = PortalRoot.factory(portal);
    FakeConnection flooder = connect(factory, FakeConnection.ipv4(10, 0, 0, 66));
    List<CompletableFuture<Object>> flood = flooder.call(() -> {
      List<CompletableFuture<Object>> logins = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        logins.add(flooder.portalRoot().loginAnonymous(null));
      }
      return logins;
    });

    assertThat(login(connect(factory, FakeConnection.ipv4(10, 0, 0, 7)), "alice", "secret"))
        .isInstanceOf(PerspectiveAdapter.class);
    assertThat(admittedAndAlice.await(20, TimeUnit.SECONDS)).isTrue();
    flooder.call(() -> null); // whatever the flooder's thread had queued has run
    assertThat(realmCalls).as("anonymous logins let into the realm at once").hasValue(2 + 1);
    realmGate.complete(null);
    awaitAll(flood);
    assertThat(flood.stream().filter(f -> !f.isCompletedExceptionally()).count())
        .as("anonymous logins that waited their turn").isEqualTo(LoginGate.MAX_WAITING + 2);
  }

  @Test
  void logsInFromIpv6AddressesGroupedByTheirSlash64() throws Exception {
    InetSocketAddress one = new InetSocketAddress(InetAddress.getByName("2001:db8:1:2:0:0:0:1"), 1);
    InetSocketAddress other = new InetSocketAddress(InetAddress.getByName("2001:db8:1:2:ffff:0:0:9"), 1);
    InetSocketAddress elsewhere = new InetSocketAddress(InetAddress.getByName("2001:db8:1:3::1"), 1);

    assertThat(PortalRoot.addressKey(one)).isEqualTo("2001:db8:1:2::/64")
        .isEqualTo(PortalRoot.addressKey(other));
    assertThat(PortalRoot.addressKey(elsewhere)).isEqualTo("2001:db8:1:3::/64");
    assertThat(PortalRoot.addressKey(FakeConnection.ipv4(10, 0, 0, 1))).isEqualTo("10.0.0.1");
  }
}
