package io.github.pb4j.benchmarks;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one {@link LoadTool} scenario measured: {@code calls} round trips completed in {@code
 * seconds}, with {@code window} of them outstanding at a time, and the rate of each slice in the
 * order they ran; {@code cpuSeconds} is the CPU time the client and the server processes used in
 * those slices together (NaN if unknown).
 *
 * <p><em>Immutable.</em>
 */
record Result(
    String id,
    String description,
    int window,
    long calls,
    double seconds,
    List<Double> sliceRates,
    double cpuSeconds,
    @Nullable Throwable failure) {
  Result {
    sliceRates = List.copyOf(sliceRates);
  }

  /** A result without CPU time. */
  Result(
      String id,
      String description,
      int window,
      long calls,
      double seconds,
      List<Double> sliceRates,
      @Nullable Throwable failure) {
    this(id, description, window, calls, seconds, sliceRates, Double.NaN, failure);
  }

  /** Returns the CPU time of both processes per round trip, in microseconds, or NaN. */
  double cpuMicrosPerCall() {
    return calls == 0 ? Double.NaN : cpuSeconds * 1e6 / calls;
  }

  double callsPerSecond() {
    return calls / seconds;
  }

  /** Returns the mean time from sending a call to its answer (Little's law for a window). */
  double microsPerCall() {
    return calls == 0 ? Double.NaN : window * seconds * 1e6 / calls;
  }

  double minCallsPerSecond() {
    return sliceRates.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  double maxCallsPerSecond() {
    return sliceRates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
