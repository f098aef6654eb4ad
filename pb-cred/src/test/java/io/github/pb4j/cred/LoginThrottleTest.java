package io.github.pb4j.cred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LoginThrottleTest {
  private static final String A = "10.0.0.1";
  private static final String B = "10.0.0.2";

  private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
  private final LoginThrottle throttle =
      LoginThrottle.builder()
          .maxFailures(3)
          .maxFailuresPerUser(10)
          .maxFailuresPerAddress(8)
          .initialDelay(Duration.ofMinutes(1))
          .maxDelay(Duration.ofMinutes(10))
          .window(Duration.ofHours(1))
          .clock(clock)
          .build();

  private LoginThrottle.Permit permit(String user, String address) {
    Optional<LoginThrottle.Permit> permit = throttle.tryAcquire(user, address);
    assertThat(permit).as("permit for %s from %s", user, address).isPresent();
    return permit.get();
  }

  private void fail(String user, String address, int times) {
    for (int i = 0; i < times; i++) {
      permit(user, address).failure();
    }
  }

  @Test
  void grantsTheBudgetThenMakesTheUserAndAddressWait() {
    fail("alice", A, 3);

    assertThat(throttle.tryAcquire("alice", A)).isEmpty();
    assertThat(throttle.retryAfter("alice", A)).contains(Duration.ofMinutes(1));
  }

  @Test
  void guessesInFlightCountAgainstTheBudget() {
    List<LoginThrottle.Permit> pipelined = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pipelined.add(permit("alice", A));
    }

    assertThat(throttle.tryAcquire("alice", A)).as("a fourth pipelined guess").isEmpty();

    pipelined.get(0).release(); // not a guess after all: a busy store
    assertThat(throttle.tryAcquire("alice", A)).isPresent();
  }

  @Test
  void pastTheBudgetOnlyOneGuessRunsAtATime() {
    fail("alice", A, 3);
    clock.advance(Duration.ofMinutes(1));
    LoginThrottle.Permit running = permit("alice", A);

    assertThat(throttle.tryAcquire("alice", A)).isEmpty();
    running.failure();
    assertThat(throttle.retryAfter("alice", A)).contains(Duration.ofMinutes(2));
  }

  @Test
  void delaysDoubleUpToTheCap() {
    fail("alice", A, 3);
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Duration delay = throttle.retryAfter("alice", A).orElseThrow();
      delays.add(delay);
      clock.advance(delay);
      fail("alice", A, 1);
    }

    assertThat(delays).extracting(Duration::toMinutes).containsExactly(1L, 2L, 4L, 8L, 10L, 10L);
  }

  @Test
  void refusedAttemptsDoNotExtendTheDelay() {
    fail("alice", A, 3);
    clock.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 100; i++) {
      assertThat(throttle.tryAcquire("alice", A)).isEmpty();
    }

    clock.advance(Duration.ofSeconds(30));

    assertThat(throttle.tryAcquire("alice", A)).isPresent();
  }

  @Test
  void aKeyStartsAfreshAWindowAfterItsLastFailure() {
    fail("alice", A, 3);
    clock.advance(Duration.ofHours(1));

    fail("alice", A, 3);
    assertThat(throttle.tryAcquire("alice", A)).isEmpty();
  }

  @Test
  void wrongGuessesFromOneAddressDoNotSlowTheUserFromAnother() {
    fail("alice", A, 3);

    assertThat(throttle.tryAcquire("alice", A)).isEmpty();
    assertThat(throttle.tryAcquire("alice", B)).isPresent();
    assertThat(throttle.tryAcquire("bob", A)).isPresent();
  }

  @Test
  void guessingFromManyAddressesSlowsNewAddressesButNotKnownOnes() {
    permit("alice", "known").success();
    for (int address = 0; address < 5; address++) {
      fail("alice", "attacker-" + address, 2); // 10 failures: alice's whole budget
    }

    assertThat(throttle.tryAcquire("alice", "new")).as("an address alice never used").isEmpty();
    assertThat(throttle.retryAfter("alice", "new")).contains(Duration.ofMinutes(1));
    LoginThrottle.Permit fromKnown = permit("alice", "known");
    fromKnown.success();
    assertThat(throttle.tryAcquire("bob", "new")).isPresent();
  }

  @Test
  void oneAddressTryingManyUsersIsSlowedDown() {
    for (int user = 0; user < 4; user++) {
      fail("user" + user, A, 2); // 8 failures: the address's budget
    }

    assertThat(throttle.tryAcquire("someone", A)).isEmpty();
    assertThat(throttle.tryAcquire("someone", B)).isPresent();
  }

  @Test
  void aSuccessForgetsTheFailuresOfItsUserAndAddressOnly() {
    fail("alice", A, 2);
    fail("alice", B, 2);

    permit("alice", A).success();

    fail("alice", A, 3);
    assertThat(throttle.tryAcquire("alice", B)).isPresent();
    assertThat(throttle.knownAddresses()).isEqualTo(1);
  }

  @Test
  void aPermitReportsOnce() {
    LoginThrottle.Permit permit = permit("alice", A);
    permit.failure();
    permit.failure();
    permit.success();

    fail("alice", A, 2);
    assertThat(throttle.tryAcquire("alice", A)).isEmpty();
    assertThat(throttle.knownAddresses()).isZero();
  }

  @Test
  void keepsCountersOnlyWhileThereIsSomethingToCount() {
    LoginThrottle.Permit permit = permit("alice", A);
    assertThat(throttle.trackedKeys()).isEqualTo(3); // user, address, both

    permit.success();

    assertThat(throttle.trackedKeys()).isZero();
    permit("bob", A).release();
    assertThat(throttle.trackedKeys()).isZero();
  }

  @Test
  void memoryIsBoundedWhateverPeersSend() {
    var small = LoginThrottle.builder().maxTrackedKeys(50).clock(clock).build();
    String longName = "x".repeat(1024);
    for (int i = 0; i < 10_000; i++) {
      small.tryAcquire(longName + i, "10.1." + (i / 256) + "." + (i % 256)).orElseThrow().failure();
      small.tryAcquire("user" + i, "10.2." + (i / 256) + "." + (i % 256)).orElseThrow().success();
    }

    assertThat(small.trackedKeys()).isLessThanOrEqualTo(50);
    assertThat(small.knownAddresses()).isLessThanOrEqualTo(50);
  }

  @Test
  void keysAreDigestsNotTheStringsPeersSent() {
    ThrottleKey key = ThrottleKey.pair("x".repeat(600_000), A);

    assertThat(key).isEqualTo(ThrottleKey.pair("x".repeat(600_000), A));
    assertThat(key).isNotEqualTo(ThrottleKey.pair("x".repeat(599_999), A));
    assertThat(ThrottleKey.pair("ab", "c")).isNotEqualTo(ThrottleKey.pair("a", "bc"));
    assertThat(ThrottleKey.user("a")).isNotEqualTo(ThrottleKey.address("a"));
    assertThat(ThrottleKey.pair("a", null)).isNotEqualTo(ThrottleKey.pair("a", ""));
  }

  @Test
  void resetForgetsAUsersFailuresFromEveryAddress() {
    fail("alice", A, 3);
    fail("alice", B, 3);
    fail("bob", A, 3);

    throttle.reset("alice");

    assertThat(throttle.tryAcquire("alice", A)).isPresent();
    assertThat(throttle.tryAcquire("alice", B)).isPresent();
    assertThat(throttle.tryAcquire("bob", A)).isEmpty();
  }

  @Test
  void resetAddressForgetsAnAddresssFailuresAcrossUsers() {
    for (int user = 0; user < 4; user++) {
      fail("user" + user, A, 2);
    }

    throttle.resetAddress(A);

    assertThat(throttle.tryAcquire("someone", A)).isPresent();
  }

  @Test
  void usesSensibleDefaults() {
    var defaults = LoginThrottle.builder().clock(clock).build();
    for (int i = 0; i < 5; i++) {
      defaults.tryAcquire("alice", A).orElseThrow().failure();
    }

    assertThat(defaults.retryAfter("alice", A)).contains(Duration.ofSeconds(1));
    assertThat(defaults.toString()).isEqualTo("LoginThrottle[5 per user and address, 100 per user, "
        + "50 per address; delays PT1S doubling to PT15M]");
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> LoginThrottle.builder().maxFailures(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFailures: 0 (expected: >= 1)");
    assertThatThrownBy(() -> LoginThrottle.builder().maxFailuresPerUser(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoginThrottle.builder().maxFailuresPerAddress(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoginThrottle.builder().window(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoginThrottle.builder().initialDelay(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoginThrottle.builder().maxTrackedKeys(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> LoginThrottle.builder().initialDelay(Duration.ofHours(2)).maxDelay(Duration.ofHours(1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("initialDelay: PT2H (expected: <= maxDelay PT1H)");
  }

  @Test
  @Timeout(10)
  void concurrentGuessesGetNoMoreThanTheBudget() throws InterruptedException {
    var shared = LoginThrottle.builder().maxFailures(7).clock(clock).build();
    var granted = new ConcurrentLinkedQueue<LoginThrottle.Permit>();
    var start = new CountDownLatch(1);
    var threads = new ArrayList<Thread>();
    for (int t = 0; t < 4; t++) {
      var thread = new Thread(() -> {
        awaitQuietly(start);
        for (int i = 0; i < 250; i++) {
          shared.tryAcquire("alice", A).ifPresent(granted::add);
        }
      });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(granted).hasSize(7);
    granted.forEach(LoginThrottle.Permit::failure);
    assertThat(shared.tryAcquire("alice", A)).isEmpty();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
