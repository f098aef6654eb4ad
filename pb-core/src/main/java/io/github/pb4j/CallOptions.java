package io.github.pb4j;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Settings of one call: for now its deadline. Passed to {@link RemoteReference#callRemote(
 * CallOptions, String, Object...)}; without it a call has its connection's default deadline
 * ({@link BrokerOptions#callTimeout()}, none unless set).
 *
 * <pre>{@code
 * root.callRemote(CallOptions.timeout(Duration.ofSeconds(5)), "echo", "hello")
 * }</pre>
 *
 * <p>When the deadline passes, the call's future fails with {@link
 * java.util.concurrent.TimeoutException} and the call is forgotten: an answer that comes later is
 * dropped, and what it carries (references, cache copies) is released. PB cannot cancel a call: the
 * peer still runs it. See docs/connections.md.
 *
 * <p><em>Immutable.</em>
 */
public final class CallOptions {
  /** The connection's default deadline. */
  public static final CallOptions DEFAULT = new CallOptions(null);

  /** No deadline, whatever the connection's default. */
  public static final CallOptions NO_TIMEOUT = new CallOptions(Duration.ZERO);

  private static final Duration MAX = Duration.ofDays(365);

  private final @Nullable Duration timeout;

  private CallOptions(@Nullable Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * A deadline of {@code timeout} from the moment the call is made (also while the connection is
   * still agreeing on its dialect); more than zero, at most a year.
   */
  public static CallOptions timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: above zero, at most 365 days)");
    }
    return new CallOptions(timeout);
  }

  /**
   * Returns this call's deadline: empty for the connection's default, {@link Duration#ZERO} for
   * none.
   */
  public Optional<Duration> timeoutSetting() {
    return Optional.ofNullable(timeout);
  }

  /** Returns the deadline in force with {@code options}' default: zero for none. */
  Duration effectiveTimeout(BrokerOptions options) {
    return timeout != null ? timeout : options.callTimeout();
  }

  @Override
  public String toString() {
    return timeout == null ? "CallOptions[default]" : "CallOptions[timeout " + timeout + "]";
  }
}
