package io.github.pb4j.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A load {@link LoadTool} runs in slices: something that repeats round trips to a server over an
 * open connection, from {@link #start()} until {@link #stop()}, counting the completed ones.
 *
 * <p>Subclasses issue round trips from {@link #issue()} on, call {@link #completedOne()} per round
 * trip and {@link #fail} on the first error, check {@link #isStopping()} before issuing the next
 * one, and call {@link #drained()} once stopping with nothing outstanding.
 *
 * <p><em>Thread-safe.</em> {@link #start()} and {@link #stop()} are called by one thread, each
 * start after the previous stop's future completed.
 */
abstract class Load implements AutoCloseable {
  private static final OperatingSystemMXBean OS = ManagementFactory.getOperatingSystemMXBean();

  private final AtomicLong completed = new AtomicLong();
  private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
  private volatile CompletableFuture<@Nullable Void> drained =
      CompletableFuture.completedFuture(null);
  private volatile boolean stopping = true;

  /** Starts issuing round trips; returns at once. */
  final void start() {
    drained = new CompletableFuture<>();
    stopping = false;
    issue();
  }

  /** Issues the first round trips of a slice; the following ones are issued as answers come. */
  abstract void issue();

  /** Stops issuing round trips; the future completes when none is outstanding. */
  final CompletableFuture<@Nullable Void> stop() {
    stopping = true;
    stopIssuing();
    return drained.copy();
  }

  /**
   * Called by {@link #stop()} once {@link #isStopping()} is true; a load whose round trips are
   * issued elsewhere (another process) passes the word on. Does nothing by default.
   */
  void stopIssuing() {}

  /**
   * Returns the CPU time, in nanoseconds, used so far by the process that issues the round trips;
   * -1 if the platform does not tell. This JVM's by default; a load whose client runs in another
   * process returns that process's (this JVM only steers it, and is not counted).
   */
  long cpuNanos() {
    return OS instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  /**
   * Returns the number of round trips completed so far; a load counting elsewhere asks there.
   */
  long completed() {
    return completed.get();
  }

  /** Returns the first failure, if a round trip failed. */
  final @Nullable Throwable failure() {
    return failure.get();
  }

  /** Closes the connection; called once, after the last {@link #stop()}. */
  @Override
  public abstract void close();

  final boolean isStopping() {
    return stopping || failure.get() != null;
  }

  final void completedOne() {
    completed.incrementAndGet();
  }

  final void completed(int roundTrips) {
    completed.addAndGet(roundTrips);
  }

  final void fail(Throwable t) {
    failure.compareAndSet(null, t);
    stopping = true;
  }

  final void drained() {
    drained.complete(null);
  }
}
