package io.github.pb4j.benchmarks;

import java.util.List;
import java.util.Locale;

/** Formats {@link LoadTool} results as a plain-text table. */
final class ResultTable {
  private ResultTable() {}

  static String format(List<Result> results) {
    int width = "scenario".length();
    for (Result r : results) {
      width = Math.max(width, label(r).length());
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-" + width + "s  %10s  %9s  %21s  %11s  %12s%n",
            "scenario",
            "calls/s",
            "us/call",
            "slices: min - max",
            "calls",
            "cpu us/call"));
    for (Result r : results) {
      if (r.failure() != null) {
        sb.append(
            String.format(Locale.ROOT, "%-" + width + "s  FAILED: %s%n", label(r), r.failure()));
      } else {
        String spread =
            String.format(
                Locale.ROOT, "%,.0f - %,.0f", r.minCallsPerSecond(), r.maxCallsPerSecond());
        sb.append(
            String.format(
                Locale.ROOT,
                "%-" + width + "s  %,10.0f  %9.1f  %21s  %,11d  %12.2f%n",
                label(r),
                r.callsPerSecond(),
                r.microsPerCall(),
                spread,
                r.calls(),
                r.cpuMicrosPerCall()));
      }
    }
    return sb.toString();
  }

  private static String label(Result r) {
    return "(" + r.id() + ") " + r.description();
  }
}
