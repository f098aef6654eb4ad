package io.github.pb4j.cred;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Slows down password guessing without handing attackers a switch that locks users out. Twisted
 * has no counterpart: PB lets a client ask for any number of challenges ({@code
 * twisted.spread.pb._PortalWrapper.remote_login} makes a new one each time), so a server should
 * throttle.
 *
 * <p>A login reserves its guess <em>before</em> the checker runs, and reports the outcome when the
 * check finishes:
 *
 * <pre>{@code
 * Optional<LoginThrottle.Permit> permit = throttle.tryAcquire(username, address);
 * if (permit.isEmpty()) {
 *   fail like a wrong password;              // the checker never runs
 * }
 * portal.login(...).whenComplete((result, failure) -> {
 *   if (failure == null) permit.get().success();
 *   else if (wrong credentials) permit.get().failure();
 *   else permit.get().release();            // not a guess: a busy store, a realm's refusal
 * });
 * }</pre>
 *
 * <p><b>Policy.</b> Failures are counted under three keys, each with its own free budget:
 *
 * <ul>
 *   <li><em>user and address</em>: {@link Builder#maxFailures(int)} (default 5);
 *   <li><em>user</em>, from every address together: {@link Builder#maxFailuresPerUser(int)}
 *       (default 100), against guessing spread over many addresses;
 *   <li><em>address</em>, for every user together: {@link Builder#maxFailuresPerAddress(int)}
 *       (default 50), against one address trying many users.
 * </ul>
 *
 * <p>Within its budget a key is not slowed down. Each failure beyond it makes the key wait before
 * its next guess, starting at {@link Builder#initialDelay(Duration)} (1 second) after the last
 * failure and doubling with every further failure, up to {@link Builder#maxDelay(Duration)} (15
 * minutes). A key whose last failure is {@link Builder#window(Duration)} old (1 hour) starts
 * afresh. There is no hard lockout, and a key's delay never grows from attempts refused while it
 * waits, so an attacker cannot extend it beyond the cap.
 *
 * <p>Guesses in flight count as failures until they finish, so responses pipelined on one
 * connection, or sent on many at once, cannot run more checks than the budget allows: at most
 * {@code maxFailures} guesses per user and address are checked at once, and past the budget one
 * at a time.
 *
 * <p>An address from which a user logged in successfully is <em>known</em> for that user: it is
 * bound only by its own user-and-address key, not by the user's or the address's. An attacker who
 * exhausts a user's budget from many addresses therefore slows down only logins from addresses that
 * user never logged in from; a success resets only its own user-and-address key.
 *
 * <p><b>Memory</b> is bounded whatever peers send: keys are 128-bit SHA-256 digests of the
 * username and address, never the strings; counters exist only while a key has failures or
 * guesses in flight; beyond {@link Builder#maxTrackedKeys(int)} counters (and as many known
 * addresses) the least recently used is forgotten. Time comes from an injectable {@link Clock}.
 *
 * <p><em>Thread-safe.</em> Calls are short and never block on I/O.
 */
public final class LoginThrottle {
  private final int maxFailures;
  private final int maxFailuresPerUser;
  private final int maxFailuresPerAddress;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final Duration window;
  private final Clock clock;
  private final int maxTrackedKeys;
  private final Object lock = new Object();
  private final LinkedHashMap<ThrottleKey, Entry> entries; // Guarded by lock.
  private final LinkedHashMap<ThrottleKey, Boolean> known; // Guarded by lock.

  private LoginThrottle(Builder builder) {
    this.maxFailures = builder.maxFailures;
    this.maxFailuresPerUser = builder.maxFailuresPerUser;
    this.maxFailuresPerAddress = builder.maxFailuresPerAddress;
    this.initialDelay = builder.initialDelay;
    this.maxDelay = builder.maxDelay;
    this.window = builder.window;
    this.clock = builder.clock;
    this.maxTrackedKeys = builder.maxTrackedKeys;
    this.entries = lru(maxTrackedKeys);
    this.known = lru(maxTrackedKeys);
  }

  /** Returns a builder with the defaults described in the class javadoc. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reserves one guess of {@code username}'s password from {@code address}, in one atomic step
   * with the check of its keys; returns the permit, or empty if the guess must not be checked now
   * (fail it as a wrong password would fail).
   *
   * @param address the remote address as the caller groups it (e.g. an IPv4 address or an IPv6
   *     /64 prefix), or {@code null} if unknown: all logins without an address share one
   */
  public Optional<Permit> tryAcquire(String username, @Nullable String address) {
    Objects.requireNonNull(username, "username");
    ThrottleKey userKey = ThrottleKey.user(username);
    ThrottleKey addressKey = ThrottleKey.address(address);
    ThrottleKey pairKey = ThrottleKey.pair(username, address);
    Instant now = clock.instant();
    synchronized (lock) {
      Entry pair = peek(pairKey, now);
      if (!mayGuess(pair, maxFailures, now)) {
        return Optional.empty();
      }
      if (known.get(pairKey) == null) {
        if (!mayGuess(peek(userKey, now), maxFailuresPerUser, now)
            || !mayGuess(peek(addressKey, now), maxFailuresPerAddress, now)) {
          return Optional.empty();
        }
      }
      return Optional.of(
          new Permit(reserve(userKey, null), reserve(addressKey, null), reserve(pairKey, userKey)));
    }
  }

  /**
   * Returns how long a guess of {@code username} from {@code address} would have to wait now, or
   * empty if {@link #tryAcquire} would grant it (for logs and tests; it reserves nothing).
   */
  public Optional<Duration> retryAfter(String username, @Nullable String address) {
    Objects.requireNonNull(username, "username");
    ThrottleKey pairKey = ThrottleKey.pair(username, address);
    Instant now = clock.instant();
    synchronized (lock) {
      Duration wait = wait(peek(pairKey, now), maxFailures, now);
      if (known.get(pairKey) == null) {
        wait = max(wait, wait(peek(ThrottleKey.user(username), now), maxFailuresPerUser, now));
        wait = max(wait, wait(peek(ThrottleKey.address(address), now), maxFailuresPerAddress, now));
      }
      return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }
  }

  /**
   * Forgets the failures of {@code username}: its own and those from each address (an
   * administrator's action). Known addresses stay known.
   */
  public void reset(String username) {
    ThrottleKey userKey = ThrottleKey.user(username);
    synchronized (lock) {
      entries.values().removeIf(e -> e.inFlight == 0 && (e.key.equals(userKey) || userKey.equals(e.owner)));
    }
  }

  /** Forgets the failures counted for {@code address} across users (an administrator's action). */
  public void resetAddress(@Nullable String address) {
    ThrottleKey addressKey = ThrottleKey.address(address);
    synchronized (lock) {
      Entry entry = entries.get(addressKey);
      if (entry != null && entry.inFlight == 0) {
        entries.remove(addressKey);
      }
    }
  }

  /** Returns how many counters (keys with failures or guesses in flight) the throttle holds. */
  public int trackedKeys() {
    synchronized (lock) {
      return entries.size();
    }
  }

  /** Returns how many (user, address) pairs are remembered as known. */
  public int knownAddresses() {
    synchronized (lock) {
      return known.size();
    }
  }

  @Override
  public String toString() {
    return "LoginThrottle["
        + maxFailures
        + " per user and address, "
        + maxFailuresPerUser
        + " per user, "
        + maxFailuresPerAddress
        + " per address; delays "
        + initialDelay
        + " doubling to "
        + maxDelay
        + "]";
  }

  // ---------------------------------------------------------------- under the lock

  /** Returns the entry of {@code key} with stale failures forgotten, or null. */
  private @Nullable Entry peek(ThrottleKey key, Instant now) {
    Entry entry = entries.get(key);
    if (entry != null && entry.failures > 0 && !now.isBefore(entry.lastFailure.plus(window))) {
      entry.failures = 0;
    }
    return entry;
  }

  private boolean mayGuess(@Nullable Entry entry, int free, Instant now) {
    return wait(entry, free, now).isZero();
  }

  /**
   * Returns how long the key must wait: zero within its budget (guesses in flight counted as
   * failures); beyond it, while another guess is in flight, at least the initial delay (its outcome
   * decides); else what is left of the delay since the last failure.
   */
  private Duration wait(@Nullable Entry entry, int free, Instant now) {
    if (entry == null || entry.failures + entry.inFlight < free) {
      return Duration.ZERO;
    }
    if (entry.inFlight > 0) {
      return initialDelay;
    }
    Instant until = entry.lastFailure.plus(delayAfter(entry.failures - free));
    return now.isBefore(until) ? Duration.between(now, until) : Duration.ZERO;
  }

  /** Returns the delay after {@code extra} failures beyond the budget: doubling, capped. */
  private Duration delayAfter(int extra) {
    if (extra >= 62) {
      return maxDelay;
    }
    Duration delay = initialDelay;
    for (int i = 0; i < extra && delay.compareTo(maxDelay) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxDelay) < 0 ? delay : maxDelay;
  }

  private Entry reserve(ThrottleKey key, @Nullable ThrottleKey owner) {
    Entry entry = entries.computeIfAbsent(key, k -> new Entry(k, owner));
    entry.inFlight++;
    return entry;
  }

  /** Ends a guess on {@code entry}; keeps the counter only while it has failures or guesses. */
  private void finish(Entry entry, boolean failed, boolean succeeded, Instant now) {
    entry.inFlight--;
    if (failed) {
      if (entry.failures > 0 && !now.isBefore(entry.lastFailure.plus(window))) {
        entry.failures = 0;
      }
      entry.failures = entry.failures == Integer.MAX_VALUE ? entry.failures : entry.failures + 1;
      entry.lastFailure = now;
    } else if (succeeded) {
      entry.failures = 0;
    }
    Entry current = entries.get(entry.key);
    if (entry.failures == 0 && entry.inFlight == 0) {
      if (current == entry) {
        entries.remove(entry.key);
      }
    } else if (current == null) {
      entries.put(entry.key, entry); // evicted meanwhile: a failure must not be lost
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static <V> LinkedHashMap<ThrottleKey, V> lru(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<ThrottleKey, V> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The counter of one key. */
  private static final class Entry {
    final ThrottleKey key;
    final @Nullable ThrottleKey owner; // The user key, for a user-and-address key.
    int failures;
    Instant lastFailure = Instant.EPOCH;
    int inFlight;

    Entry(ThrottleKey key, @Nullable ThrottleKey owner) {
      this.key = key;
      this.owner = owner;
    }
  }

  /**
   * One reserved guess. Report its outcome exactly once: {@link #success()}, {@link #failure()} or
   * {@link #release()}; later calls are ignored. A permit never reported keeps its guess counted
   * as in flight, so always report (e.g. in a {@code whenComplete}).
   */
  public final class Permit {
    private final Entry user;
    private final Entry address;
    private final Entry pair;
    private boolean done; // Guarded by lock.

    private Permit(Entry user, Entry address, Entry pair) {
      this.user = user;
      this.address = address;
      this.pair = pair;
    }

    /**
     * The credentials were right: forgets the failures of this user and address, and remembers
     * the address as known for the user. The user's and the address's own counters keep theirs.
     */
    public void success() {
      end(false, true);
    }

    /** The credentials were wrong: counts a failure on each key. */
    public void failure() {
      end(true, false);
    }

    /** The check ended without a verdict on the credentials (not a guess): counts nothing. */
    public void release() {
      end(false, false);
    }

    private void end(boolean failed, boolean succeeded) {
      Instant now = clock.instant();
      synchronized (lock) {
        if (done) {
          return;
        }
        done = true;
        finish(pair, failed, succeeded, now);
        finish(user, failed, false, now);
        finish(address, failed, false, now);
        if (succeeded) {
          known.put(pair.key, Boolean.TRUE);
        }
      }
    }
  }

  /** Builds a {@link LoginThrottle}. <em>Not thread-safe.</em> */
  public static final class Builder {
    private int maxFailures = 5;
    private int maxFailuresPerUser = 100;
    private int maxFailuresPerAddress = 50;
    private Duration initialDelay = Duration.ofSeconds(1);
    private Duration maxDelay = Duration.ofMinutes(15);
    private Duration window = Duration.ofHours(1);
    private Clock clock = Clock.systemUTC();
    private int maxTrackedKeys = 100_000;

    private Builder() {}

    /** Sets the failures per user and address before delays start; default 5. */
    public Builder maxFailures(int maxFailures) {
      this.maxFailures = atLeastOne("maxFailures", maxFailures);
      return this;
    }

    /** Sets the failures per user, from all addresses, before delays start; default 100. */
    public Builder maxFailuresPerUser(int maxFailuresPerUser) {
      this.maxFailuresPerUser = atLeastOne("maxFailuresPerUser", maxFailuresPerUser);
      return this;
    }

    /** Sets the failures per address, for all users, before delays start; default 50. */
    public Builder maxFailuresPerAddress(int maxFailuresPerAddress) {
      this.maxFailuresPerAddress = atLeastOne("maxFailuresPerAddress", maxFailuresPerAddress);
      return this;
    }

    /** Sets the delay after the first failure beyond a budget; default 1 second. */
    public Builder initialDelay(Duration initialDelay) {
      this.initialDelay = positive("initialDelay", initialDelay);
      return this;
    }

    /** Sets the longest delay, which doubling never exceeds; default 15 minutes. */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = positive("maxDelay", maxDelay);
      return this;
    }

    /** Sets how long after its last failure a key starts afresh; default 1 hour. */
    public Builder window(Duration window) {
      this.window = positive("window", window);
      return this;
    }

    /** Sets the clock; default {@link Clock#systemUTC()}. Tests pass a fake one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets how many counters, and how many known addresses, to remember; default 100,000. */
    public Builder maxTrackedKeys(int maxTrackedKeys) {
      this.maxTrackedKeys = atLeastOne("maxTrackedKeys", maxTrackedKeys);
      return this;
    }

    /**
     * Builds the throttle.
     *
     * @throws IllegalStateException if the initial delay exceeds the maximum delay
     */
    public LoginThrottle build() {
      if (initialDelay.compareTo(maxDelay) > 0) {
        throw new IllegalStateException(
            "initialDelay: " + initialDelay + " (expected: <= maxDelay " + maxDelay + ")");
      }
      return new LoginThrottle(this);
    }

    private static int atLeastOne(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
      }
      return value;
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
