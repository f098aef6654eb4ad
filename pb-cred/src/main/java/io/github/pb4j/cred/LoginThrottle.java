package io.github.pb4j.cred;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Counts failed logins per key (a username, a remote address) and locks a key out after too many
 * failures within a window. Twisted has no counterpart: PB lets a client answer one challenge any
 * number of times (see {@code PB-PROTOCOL.md} §6.9), so a server should throttle.
 *
 * <pre>{@code
 * if (throttle.isLockedOut(username) || throttle.isLockedOut(address)) {
 *   fail with new LoginDeniedException("too many failed logins, try again later");
 * }
 * portal.login(...).whenComplete((result, failure) -> {
 *   if (failure == null) {
 *     throttle.recordSuccess(username);    // not the address: one good account must not reset it
 *   } else if (unwrapped failure instanceof UnauthorizedLoginException) {
 *     throttle.recordFailure(username);
 *     throttle.recordFailure(address);
 *   }
 * });
 * }</pre>
 *
 * <p>A key is locked out for {@link Builder#lockout(Duration)} once it has {@link
 * Builder#maxFailures(int)} failures within the sliding {@link Builder#window(Duration)}. Failures
 * recorded while locked out do not extend the lockout. Memory is bounded: beyond {@link
 * Builder#maxTrackedKeys(int)} keys, the least recently used key is forgotten. Time comes from an
 * injectable {@link Clock}.
 *
 * <p><em>Thread-safe.</em> Calls are short and never block on I/O.
 */
public final class LoginThrottle {
  private final int maxFailures;
  private final Duration window;
  private final Duration lockout;
  private final Clock clock;
  private final int maxTrackedKeys;
  private final Object lock = new Object();
  private final LinkedHashMap<String, Entry> entries; // Guarded by lock.

  private LoginThrottle(Builder builder) {
    this.maxFailures = builder.maxFailures;
    this.window = builder.window;
    this.lockout = builder.lockout;
    this.clock = builder.clock;
    this.maxTrackedKeys = builder.maxTrackedKeys;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > maxTrackedKeys;
          }
        };
  }

  /** Returns a builder; defaults: 5 failures within 15 minutes lock a key out for 15 minutes. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns whether {@code key} is locked out now. */
  public boolean isLockedOut(String key) {
    return lockoutRemaining(key).isPresent();
  }

  /** Returns how long {@code key} stays locked out, or empty if it is not locked out. */
  public Optional<Duration> lockoutRemaining(String key) {
    Objects.requireNonNull(key, "key");
    Instant now = clock.instant();
    synchronized (lock) {
      Entry entry = entries.get(key);
      if (entry == null || entry.lockedUntil == null || !now.isBefore(entry.lockedUntil)) {
        return Optional.empty();
      }
      return Optional.of(Duration.between(now, entry.lockedUntil));
    }
  }

  /**
   * Records a failed login for {@code key}; returns whether the key is locked out now (by this
   * failure or an earlier one).
   */
  public boolean recordFailure(String key) {
    Objects.requireNonNull(key, "key");
    Instant now = clock.instant();
    synchronized (lock) {
      Entry entry = entries.computeIfAbsent(key, k -> new Entry());
      if (entry.lockedUntil != null) {
        if (now.isBefore(entry.lockedUntil)) {
          return true;
        }
        entry.lockedUntil = null;
      }
      Instant windowStart = now.minus(window);
      while (!entry.failures.isEmpty() && !entry.failures.peekFirst().isAfter(windowStart)) {
        entry.failures.removeFirst();
      }
      entry.failures.addLast(now);
      if (entry.failures.size() >= maxFailures) {
        entry.failures.clear();
        entry.lockedUntil = now.plus(lockout);
        return true;
      }
      return false;
    }
  }

  /**
   * Records a successful login for {@code key}, forgetting its failures. Does not lift a lockout in
   * force (the login should not have been attempted).
   */
  public void recordSuccess(String key) {
    Objects.requireNonNull(key, "key");
    Instant now = clock.instant();
    synchronized (lock) {
      Entry entry = entries.get(key);
      if (entry != null && (entry.lockedUntil == null || !now.isBefore(entry.lockedUntil))) {
        entries.remove(key);
      }
    }
  }

  /** Forgets everything about {@code key}, lifting its lockout (an administrator's action). */
  public void reset(String key) {
    Objects.requireNonNull(key, "key");
    synchronized (lock) {
      entries.remove(key);
    }
  }

  /** Returns how many keys the throttle currently remembers. */
  public int trackedKeys() {
    synchronized (lock) {
      return entries.size();
    }
  }

  @Override
  public String toString() {
    return "LoginThrottle["
        + maxFailures
        + " failures within "
        + window
        + " lock out for "
        + lockout
        + "]";
  }

  private static final class Entry {
    final ArrayDeque<Instant> failures = new ArrayDeque<>();
    @Nullable Instant lockedUntil;
  }

  /** Builds a {@link LoginThrottle}. <em>Not thread-safe.</em> */
  public static final class Builder {
    private int maxFailures = 5;
    private Duration window = Duration.ofMinutes(15);
    private Duration lockout = Duration.ofMinutes(15);
    private Clock clock = Clock.systemUTC();
    private int maxTrackedKeys = 100_000;

    private Builder() {}

    /** Sets how many failures within the window lock a key out; default 5. */
    public Builder maxFailures(int maxFailures) {
      if (maxFailures < 1) {
        throw new IllegalArgumentException("maxFailures: " + maxFailures + " (expected: >= 1)");
      }
      this.maxFailures = maxFailures;
      return this;
    }

    /** Sets the sliding window in which failures count; default 15 minutes. */
    public Builder window(Duration window) {
      this.window = positive("window", window);
      return this;
    }

    /** Sets how long a lockout lasts; default 15 minutes. */
    public Builder lockout(Duration lockout) {
      this.lockout = positive("lockout", lockout);
      return this;
    }

    /** Sets the clock; default {@link Clock#systemUTC()}. Tests pass a fake one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets how many keys to remember at most; default 100,000. */
    public Builder maxTrackedKeys(int maxTrackedKeys) {
      if (maxTrackedKeys < 1) {
        throw new IllegalArgumentException(
            "maxTrackedKeys: " + maxTrackedKeys + " (expected: >= 1)");
      }
      this.maxTrackedKeys = maxTrackedKeys;
      return this;
    }

    public LoginThrottle build() {
      return new LoginThrottle(this);
    }

    private static Duration positive(String name, Duration duration) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + ": " + duration + " (expected: > 0)");
      }
      return duration;
    }
  }
}
