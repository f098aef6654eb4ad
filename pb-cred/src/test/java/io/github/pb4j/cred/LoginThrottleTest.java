package io.github.pb4j.cred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LoginThrottleTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
  private final LoginThrottle throttle =
      LoginThrottle.builder()
          .maxFailures(3)
          .window(Duration.ofMinutes(10))
          .lockout(Duration.ofMinutes(5))
          .clock(clock)
          .build();

  @Test
  void locksAKeyOutAfterMaxFailuresWithinTheWindow() {
    assertThat(throttle.recordFailure("alice")).isFalse();
    assertThat(throttle.recordFailure("alice")).isFalse();
    assertThat(throttle.isLockedOut("alice")).isFalse();

    assertThat(throttle.recordFailure("alice")).isTrue();

    assertThat(throttle.isLockedOut("alice")).isTrue();
    assertThat(throttle.lockoutRemaining("alice")).contains(Duration.ofMinutes(5));
  }

  @Test
  void failuresOlderThanTheWindowDoNotCount() {
    throttle.recordFailure("alice");
    clock.advance(Duration.ofMinutes(6));
    throttle.recordFailure("alice");
    clock.advance(Duration.ofMinutes(5)); // the first failure is now 11 minutes old

    assertThat(throttle.recordFailure("alice")).isFalse();
    assertThat(throttle.recordFailure("alice")).isTrue();
  }

  @Test
  void theLockoutExpires() {
    lockOut("alice");
    clock.advance(Duration.ofMinutes(4));
    assertThat(throttle.lockoutRemaining("alice")).contains(Duration.ofMinutes(1));

    clock.advance(Duration.ofMinutes(1));

    assertThat(throttle.isLockedOut("alice")).isFalse();
    assertThat(throttle.lockoutRemaining("alice")).isEmpty();
    // Counting starts afresh after a lockout.
    assertThat(throttle.recordFailure("alice")).isFalse();
  }

  @Test
  void failuresDuringALockoutDoNotExtendIt() {
    lockOut("alice");
    clock.advance(Duration.ofMinutes(4));

    assertThat(throttle.recordFailure("alice")).isTrue();
    clock.advance(Duration.ofMinutes(1));

    assertThat(throttle.isLockedOut("alice")).isFalse();
  }

  @Test
  void aSuccessForgetsFailures() {
    throttle.recordFailure("alice");
    throttle.recordFailure("alice");

    throttle.recordSuccess("alice");

    assertThat(throttle.recordFailure("alice")).isFalse();
    assertThat(throttle.recordFailure("alice")).isFalse();
  }

  @Test
  void aSuccessDoesNotLiftALockout() {
    lockOut("alice");

    throttle.recordSuccess("alice");

    assertThat(throttle.isLockedOut("alice")).isTrue();
  }

  @Test
  void resetLiftsALockout() {
    lockOut("alice");

    throttle.reset("alice");

    assertThat(throttle.isLockedOut("alice")).isFalse();
    assertThat(throttle.trackedKeys()).isZero();
  }

  @Test
  void keysAreIndependent() {
    lockOut("alice");

    assertThat(throttle.isLockedOut("bob")).isFalse();
    assertThat(throttle.isLockedOut("127.0.0.1")).isFalse();
  }

  @Test
  void forgetsTheLeastRecentlyUsedKeyBeyondItsLimit() {
    var small = LoginThrottle.builder().maxFailures(1).maxTrackedKeys(2).clock(clock).build();
    small.recordFailure("a");
    small.recordFailure("b");
    small.isLockedOut("a"); // a is now more recently used than b

    small.recordFailure("c");

    assertThat(small.trackedKeys()).isEqualTo(2);
    assertThat(small.isLockedOut("a")).isTrue();
    assertThat(small.isLockedOut("b")).isFalse();
    assertThat(small.isLockedOut("c")).isTrue();
  }

  @Test
  void usesSensibleDefaults() {
    var defaults = LoginThrottle.builder().clock(clock).build();
    for (int i = 0; i < 4; i++) {
      assertThat(defaults.recordFailure("alice")).isFalse();
    }

    assertThat(defaults.recordFailure("alice")).isTrue();
    assertThat(defaults.lockoutRemaining("alice")).contains(Duration.ofMinutes(15));
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> LoginThrottle.builder().maxFailures(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxFailures: 0 (expected: >= 1)");
    assertThatThrownBy(() -> LoginThrottle.builder().window(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoginThrottle.builder().lockout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LoginThrottle.builder().maxTrackedKeys(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @Timeout(10)
  void countsEveryFailureFromConcurrentThreads() throws InterruptedException {
    var shared = LoginThrottle.builder().maxFailures(1000).clock(clock).build();
    var start = new CountDownLatch(1);
    var threads = new ArrayList<Thread>();
    for (int t = 0; t < 4; t++) {
      var thread =
          new Thread(
              () -> {
                awaitQuietly(start);
                for (int i = 0; i < 249; i++) {
                  shared.recordFailure("alice");
                }
              });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(shared.isLockedOut("alice")).isFalse();
    assertThat(shared.recordFailure("alice")).isFalse(); // the 997th
    shared.recordFailure("alice");
    shared.recordFailure("alice");
    assertThat(shared.recordFailure("alice")).isTrue(); // the 1000th
  }

  private void lockOut(String key) {
    for (int i = 0; i < 3; i++) {
      throttle.recordFailure(key);
    }
    assertThat(throttle.isLockedOut(key)).isTrue();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
