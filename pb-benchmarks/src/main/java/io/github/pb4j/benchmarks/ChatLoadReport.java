package io.github.pb4j.benchmarks;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Prints {@link ChatLoad}'s summary: one column per server, and pb4j/Twisted ratios. */
final class ChatLoadReport {
  private ChatLoadReport() {}

  static void print(PrintStream out, ChatLoadRun.Shape shape, List<ChatLoadRun.Outcome> outcomes) {
    out.printf(
        Locale.ROOT,
        "%nChatLoad: %d clients over %d connections, %d group(s), %.0f messages/s sent,"
            + " %.0f s measured%n",
        shape.clients(), shape.connections(), shape.groups(), shape.rate(), shape.durationSeconds());
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-34s", ""));
    for (ChatLoadRun.Outcome o : outcomes) {
      header.append(String.format(Locale.ROOT, "%16s", o.server()));
    }
    boolean ratio = outcomes.size() == 2;
    if (ratio) {
      header.append(String.format(Locale.ROOT, "%16s", "ratio"));
    }
    out.println(header);
    row(out, "logins/s", outcomes, o -> o.loginsPerSecond(), ratio, "%,16.0f");
    row(out, "deliveries/s", outcomes, o -> o.deliveriesPerSecond(), ratio, "%,16.0f");
    row(out, "delivery p50 (ms)", outcomes, o -> pct(o.latencyMicros(), 50), ratio, "%16.2f");
    row(out, "delivery p99 (ms)", outcomes, o -> pct(o.latencyMicros(), 99), ratio, "%16.2f");
    row(out, "delivery max (ms)", outcomes, o -> o.latencyMicros().getMaxValue() / 1e3, ratio, "%16.2f");
    row(out, "server CPU per 1,000 deliveries (ms)", outcomes,
        o -> perThousand(o, o.serverCpuSeconds()), ratio, "%16.1f");
    row(out, "load CPU per 1,000 deliveries (ms)", outcomes,
        o -> perThousand(o, o.clientCpuSeconds()), false, "%16.1f");
    row(out, "server RSS per connection (KiB)", outcomes,
        o -> perUnit(o, shape.connections(), true), ratio, "%16.1f");
    row(out, "server RSS per client (KiB)", outcomes,
        o -> perUnit(o, shape.clients(), true), ratio, "%16.1f");
    row(out, "live heap per client (KiB)", outcomes,
        o -> perUnit(o, shape.clients(), false), false, "%16.1f");
    for (ChatLoadRun.Outcome o : outcomes) {
      out.printf(
          Locale.ROOT,
          "%s: %s — sent %,d, expected %,d deliveries, delivered %,d, duplicates or reordered %,d,"
              + " missing %,d, drop notices %,d, failed sends %,d%n",
          o.server(),
          o.exact() ? "every message exactly once, in order" : "NOT EXACT",
          o.sent(), o.expected(), o.delivered(), o.duplicates(), o.gaps(), o.notices(),
          o.sendFailures());
    }
  }

  private static double pct(Histogram h, double p) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1e3;
  }

  private static double perThousand(ChatLoadRun.Outcome o, double cpuSeconds) {
    return o.deliveredMeasured() == 0 ? Double.NaN : cpuSeconds * 1e6 / o.deliveredMeasured();
  }

  private static double perUnit(ChatLoadRun.Outcome o, int units, boolean rss) {
    if (o.before() == null || o.after() == null) {
      return Double.NaN;
    }
    if (rss) {
      return (o.after().rssKib() - o.before().rssKib()) / (double) units;
    }
    if (o.after().liveHeapBytes() == 0) {
      return Double.NaN;
    }
    return (o.after().liveHeapBytes() - o.before().liveHeapBytes()) / 1024.0 / units;
  }

  private static void row(
      PrintStream out,
      String name,
      List<ChatLoadRun.Outcome> outcomes,
      java.util.function.ToDoubleFunction<ChatLoadRun.Outcome> value,
      boolean ratio,
      String format) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-34s", name));
    for (ChatLoadRun.Outcome o : outcomes) {
      line.append(String.format(Locale.ROOT, format, value.applyAsDouble(o)));
    }
    if (ratio) {
      double r = value.applyAsDouble(outcomes.get(0)) / value.applyAsDouble(outcomes.get(1));
      line.append(String.format(Locale.ROOT, "%15.2fx", r));
    }
    out.println(line);
  }
}
