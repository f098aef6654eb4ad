package io.github.pb4j.netty;

import static io.github.pb4j.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.Avatar;
import io.github.pb4j.Broker;
import io.github.pb4j.BrokerOptions;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.CredentialsChecker;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.cred.AvatarId;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PbServer.Builder#warmUp}: logins before the port is bound, and nothing left of them. */
@Timeout(60)
class PbServerWarmUpTest {
  /** Counts what reaches the application's checker. */
  static final class CountingChecker implements CredentialsChecker {
    final AtomicInteger checks = new AtomicInteger();
    final InMemoryUsernamePasswordDatabaseDontUse users =
        new InMemoryUsernamePasswordDatabaseDontUse().addUser("alice", "1234");

    @Override
    public Set<Class<? extends Credentials>> credentialInterfaces() {
      return users.credentialInterfaces();
    }

    @Override
    public CompletionStage<AvatarId> requestAvatarId(Credentials credentials) {
      checks.incrementAndGet();
      return users.requestAvatarId(credentials);
    }
  }

  /** An avatar of the application's realm. */
  public static final class Account implements Avatar {
    @io.github.pb4j.Remote
    public String whoami() {
      return "alice";
    }
  }

  @Test
  void warmUpLogsInBeforeListeningAndLeavesNothingBehind() throws Exception {
    EventRecorder observer = new EventRecorder();
    CountingChecker checker = new CountingChecker();
    AtomicInteger avatars = new AtomicInteger();
    AtomicInteger connections = new AtomicInteger();
    Portal portal = Portal.builder()
        .realm((id, mind, interfaces) -> {
          avatars.incrementAndGet();
          return CompletableFuture.completedFuture(LoginResult.of(Avatar.class, new Account()));
        })
        .checker(checker)
        .build();
    try (PbServer server = PbServer.builder()
        .port(0)
        .portal(portal)
        .observer(observer)
        .onConnection(b -> connections.incrementAndGet())
        .maxConnections(1)
        .warmUp(Duration.ofMillis(500))
        .build()
        .start()) {
      WarmUp.Outcome outcome = server.warmUpOutcome();
      assertThat(outcome).isNotNull();
      assertThat(outcome.logins()).isPositive();
      assertThat(outcome.refused()).isPositive(); // The wrong passwords.
      assertThat(outcome.failures()).isZero();
      if (!outcome.settled()) { // Else it stopped sooner: the JIT had gone quiet.
        assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(500));
      }
      // It listened on a loopback port of its own, closed before the server's was bound.
      assertThat(outcome.address()).isInstanceOf(InetSocketAddress.class);
      InetSocketAddress warmUpAddress = (InetSocketAddress) outcome.address();
      assertThat(warmUpAddress.getAddress().isLoopbackAddress()).isTrue();
      assertThat(warmUpAddress.getPort()).isNotEqualTo(server.port());
      assertThatThrownBy(() -> {
        try (Socket s = new Socket()) {
          s.connect(warmUpAddress, 5_000);
        }
      }).isInstanceOf(ConnectException.class);

      // Nothing of the application saw it, nothing of it is left.
      assertThat(observer.events).isEmpty();
      assertThat(checker.checks).hasValue(0);
      assertThat(avatars).hasValue(0);
      assertThat(connections).hasValue(0);
      assertThat(server.connections()).isEmpty();
      assertNoWarmUpThreads();

      // The one connection the limit allows is a real client's, which logs in.
      try (PbClient client = PbClient.builder().host("127.0.0.1").port(server.port()).build()) {
        RemoteReference avatar =
            await(client.login(UsernamePassword.of("alice", "1234")));
        assertThat(await(avatar.callRemote("whoami"))).isEqualTo("alice");
      }
      assertThat(checker.checks).hasValue(1);
      assertThat(connections).hasValue(1);
      assertThat(observer.events).contains("opened", "login SUCCEEDED");
    }
  }

  @Test
  void aZeroBudgetStillRunsOneRoundOfLogins() throws Exception {
    WarmUp.Outcome outcome = WarmUp.run(Duration.ZERO, BrokerOptions.DEFAULT);

    assertThat(outcome.logins()).isPositive();
    assertThat(outcome.failures()).isZero();
    assertNoWarmUpThreads();
  }

  @Test
  void overLoopbackSocketsToo() throws Exception {
    WarmUp.Outcome outcome =
        WarmUp.run(Duration.ofMillis(200), BrokerOptions.DEFAULT, Transport.best());

    assertThat(outcome.logins()).isPositive();
    assertThat(outcome.failures()).isZero();
    assertNoWarmUpThreads();
  }

  @Test
  void overInMemoryChannelsToo() throws Exception {
    WarmUp.Outcome outcome =
        WarmUp.run(Duration.ofMillis(200), BrokerOptions.DEFAULT, Transport.LOCAL);

    assertThat(outcome.logins()).isPositive();
    assertThat(outcome.failures()).isZero();
    assertNoWarmUpThreads();
  }

  @Test
  void stopsEarlyOnceTheJitIsQuiet() throws Exception {
    // A JIT that compiles nothing: quiet at the end of the first window.
    JitActivity quiet =
        new JitActivity(() -> 0, System::nanoTime, Duration.ofMillis(100), JitActivity.SHARE);

    WarmUp.Outcome outcome =
        WarmUp.run(Duration.ofSeconds(40), BrokerOptions.DEFAULT, Transport.best(), true, quiet);

    assertThat(outcome.settled()).isTrue();
    assertThat(outcome.elapsed()).isLessThan(Duration.ofSeconds(20));
    assertThat(outcome.logins()).isPositive(); // Those in flight when it stopped finished.
    assertThat(outcome.failures()).isZero();
    assertNoWarmUpThreads();
  }

  @Test
  void runsItsWholeBudgetWhileTheJitIsBusy() throws Exception {
    // A JIT that compiles without a pause on one thread: never quiet.
    long t0 = System.nanoTime();
    JitActivity busy = new JitActivity(() -> (System.nanoTime() - t0) / 1_000_000,
        System::nanoTime, Duration.ofMillis(100), JitActivity.SHARE);

    WarmUp.Outcome outcome =
        WarmUp.run(Duration.ofMillis(600), BrokerOptions.DEFAULT, Transport.best(), true, busy);

    assertThat(outcome.settled()).isFalse();
    assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    assertThat(outcome.logins()).isPositive();
    assertNoWarmUpThreads();
  }

  @Test
  void noWarmUpByDefault() {
    try (PbServer server = PbServer.builder().port(0).root(new Account()).build().start()) {
      assertThat(server.warmUpOutcome()).isNull();
    }
  }

  @Test
  void aNegativeBudgetIsRefused() {
    assertThatThrownBy(() -> PbServer.builder().warmUp(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warmUp");
  }

  /** Waits for the warm-up's loop threads to end (they are told to before it returns). */
  private static void assertNoWarmUpThreads() throws InterruptedException {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("pb-warm-up")) {
        t.join(5_000);
        assertThat(t.isAlive()).as(t.getName()).isFalse();
      }
    }
  }
}
