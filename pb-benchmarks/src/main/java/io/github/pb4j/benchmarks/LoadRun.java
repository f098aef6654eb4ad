package io.github.pb4j.benchmarks;

import io.github.pb4j.benchmarks.Scenario.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Measures open {@link Load}s: each is warmed up, then measured in slices run round-robin, so that
 * every scenario samples the same stretch of time. On a machine whose speed drifts (other work,
 * CPUs of a virtual machine going idle) this keeps the comparison between scenarios fair, and the
 * spread of the slices shows the drift.
 *
 * <p><em>Not thread-safe;</em> one run at a time.
 */
final class LoadRun {
  private static final long DRAIN_TIMEOUT_SECONDS = 30;

  private final Map<Scenario, Load> loads;
  private final Map<Scenario, LongSupplier> cpuClocks;
  private final Settings settings;

  /**
   * {@code loads} in the order to run them; {@code cpuClocks} gives for a scenario the CPU time
   * (in nanoseconds) of the processes it runs in, or a negative value if unknown.
   */
  LoadRun(Map<Scenario, Load> loads, Map<Scenario, LongSupplier> cpuClocks, Settings settings) {
    this.loads = loads;
    this.cpuClocks = cpuClocks;
    this.settings = settings;
  }

  /** Runs every load and returns one result per scenario, in order; stops at the first failure. */
  List<Result> run() throws InterruptedException {
    if (settings.warmupSeconds() > 0) {
      for (Map.Entry<Scenario, Load> e : loads.entrySet()) {
        progress("warming up (%s) for %.1f s", e.getKey().id(), settings.warmupSeconds());
        slice(e.getValue(), settings.warmupSeconds()); // Not counted.
        if (e.getValue().failure() != null) {
          return results(new Tally[0]);
        }
      }
    }
    double sliceSeconds = settings.durationSeconds() / settings.rounds();
    Tally[] tallies = new Tally[loads.size()];
    for (int i = 0; i < tallies.length; i++) {
      tallies[i] = new Tally();
    }
    List<Load> order = new ArrayList<>(loads.values());
    List<Scenario> scenarios = new ArrayList<>(loads.keySet());
    for (int round = 1; round <= settings.rounds(); round++) {
      StringBuilder rates = new StringBuilder();
      for (int k = 0; k < order.size(); k++) {
        int i = roundOrder(round, k, order.size());
        Load load = order.get(i);
        LongSupplier cpu = cpuClocks.getOrDefault(scenarios.get(i), () -> -1);
        long cpu0 = cpu.getAsLong();
        Slice slice = slice(load, sliceSeconds);
        long cpu1 = cpu.getAsLong();
        tallies[i].add(slice.calls(), slice.seconds(), cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0);
        rates.append(String.format(Locale.ROOT, " (%s) %,.0f/s", scenarios.get(i).id(),
            slice.calls() / slice.seconds()));
        if (load.failure() != null) {
          return results(tallies);
        }
      }
      progress("round %d of %d, %.2f s per scenario:%s", round, settings.rounds(), sliceSeconds,
          rates);
    }
    return results(tallies);
  }

  /**
   * Returns which scenario runs {@code k}-th in {@code round} (from 1): odd rounds go forwards,
   * even rounds backwards (A B C, C B A, A B C, ...). Over each pair of rounds every scenario
   * then sits, on average, at the same point in time, so a drift in the machine's speed favours
   * none, and neighbours in the list (the raw baseline and the sequential PB calls) stay adjacent.
   */
  static int roundOrder(int round, int k, int scenarios) {
    return round % 2 == 1 ? k : scenarios - 1 - k;
  }

  /** Round trips completed in a slice, and its length; the drain after it is not counted. */
  private record Slice(long calls, double seconds) {}

  /** Runs {@code load} for {@code seconds}, then waits until nothing is outstanding. */
  private static Slice slice(Load load, double seconds) throws InterruptedException {
    long calls0 = load.completed();
    long t0 = System.nanoTime();
    load.start();
    long end = t0 + (long) (seconds * 1e9);
    for (long left; load.failure() == null && (left = end - System.nanoTime()) > 0; ) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
    }
    Slice slice = new Slice(load.completed() - calls0, (System.nanoTime() - t0) / 1e9);
    try {
      load.stop().get(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      load.fail(
          new IllegalStateException(
              "calls still outstanding " + DRAIN_TIMEOUT_SECONDS + " s after stopping"));
    }
    return slice;
  }

  private List<Result> results(Tally[] tallies) {
    List<Result> results = new ArrayList<>();
    int i = 0;
    for (Map.Entry<Scenario, Load> e : loads.entrySet()) {
      Scenario s = e.getKey();
      Tally t = i < tallies.length ? tallies[i++] : new Tally();
      results.add(
          new Result(
              s.id(),
              s.describe(settings),
              s.window(settings),
              t.calls,
              t.seconds,
              t.rates,
              t.cpuNanos < 0 ? Double.NaN : t.cpuNanos / 1e9,
              e.getValue().failure()));
    }
    return results;
  }

  private static void progress(String format, Object... args) {
    System.err.println(String.format(Locale.ROOT, format, args));
  }

  /** Calls and time of one scenario's slices so far. */
  private static final class Tally {
    long calls;
    double seconds;
    final List<Double> rates = new ArrayList<>();
    /** CPU time of the slices, or -1 once one was unknown. */
    long cpuNanos;

    void add(long sliceCalls, double sliceSeconds, long sliceCpuNanos) {
      calls += sliceCalls;
      seconds += sliceSeconds;
      rates.add(sliceCalls / sliceSeconds);
      cpuNanos = cpuNanos < 0 || sliceCpuNanos < 0 ? -1 : cpuNanos + sliceCpuNanos;
    }
  }
}
