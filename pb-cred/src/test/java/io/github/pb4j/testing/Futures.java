package io.github.pb4j.testing;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for futures in tests, with a timeout so that a lost completion fails the test instead of
 * hanging it. Shipped in pb-cred's test jar, the lowest module whose tests wait for futures.
 */
public final class Futures {
  /** How long {@link #await(Future)} and {@link #failureOf(Future)} wait by default. */
  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  private Futures() {}

  /**
   * Returns the value of {@code future}, waiting up to {@link #TIMEOUT}.
   *
   * @throws ExecutionException if the future failed
   * @throws TimeoutException if it did not complete in time
   */
  public static <T> T await(Future<T> future) throws Exception {
    return await(future, TIMEOUT);
  }

  /** Returns the value of {@code future}, waiting up to {@code timeout}. */
  public static <T> T await(Future<T> future, Duration timeout) throws Exception {
    return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Returns the value of {@code future}, waiting up to {@link #TIMEOUT}; if it failed with an
   * exception, throws that exception rather than an {@link ExecutionException}, as a blocking call
   * would (for helpers whose callers expect the cause, e.g. with {@code catchThrowable}).
   */
  public static <T> T awaitUnwrapped(Future<T> future) throws Exception {
    try {
      return await(future);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /**
   * Returns what {@code future} failed with, unwrapped from {@link ExecutionException} and {@link
   * CompletionException}, waiting up to {@link #TIMEOUT}.
   *
   * @throws AssertionError if the future succeeded or did not complete in time
   */
  public static Throwable failureOf(Future<?> future) {
    return failureOf(future, TIMEOUT);
  }

  /** Returns what {@code future} failed with, waiting up to {@code timeout}. */
  public static Throwable failureOf(Future<?> future, Duration timeout) {
    Object value;
    try {
      value = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      return unwrap(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("expected a failure within " + timeout + ", still running", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a failure", e);
    }
    throw new AssertionError("expected a failure, got " + value);
  }

  /**
   * Returns what {@code future} failed with, which must be a {@code type}.
   *
   * @throws AssertionError if the future succeeded, failed otherwise, or did not complete in time
   */
  public static <T extends Throwable> T failureOf(Future<?> future, Class<T> type) {
    Throwable failure = failureOf(future);
    if (!type.isInstance(failure)) {
      throw new AssertionError("expected a failure of " + type.getName() + ", got " + failure,
          failure);
    }
    return type.cast(failure);
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
