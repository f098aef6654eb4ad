package io.github.pb4j.benchmarks;

import io.github.pb4j.PbLogin;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.netty.PbClient;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * One {@link ChatLoad} run against one server: connect, log in, join, send at a fixed rate while
 * checking every delivery, drain, and measure.
 */
final class ChatLoadRun {
  /** What a run measured. */
  record Outcome(
      String server,
      double loginsPerSecond,
      double deliveriesPerSecond,
      Histogram latencyMicros,
      long sent,
      long expected,
      long delivered,
      long duplicates,
      long gaps,
      long notices,
      long sendFailures,
      ChildServer.@Nullable Stats before,
      ChildServer.@Nullable Stats after,
      double serverCpuSeconds,
      double clientCpuSeconds,
      long deliveredMeasured) {
    boolean exact() {
      return delivered == expected && duplicates == 0 && gaps == 0 && notices == 0 && sendFailures == 0;
    }
  }

  /** The load's shape. */
  record Shape(
      int clients,
      int connections,
      int groups,
      double rate,
      double warmupSeconds,
      double durationSeconds,
      double drainSeconds,
      int loginConcurrency,
      int clientThreads) {}

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Shape shape;
  private final PrintStream progress;
  private final ChatTally tally = new ChatTally();
  private final List<ChatMember> members = new ArrayList<>();
  private final List<PbClient> clients = new ArrayList<>();
  private final EventLoopGroup group;
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();

  ChatLoadRun(Shape shape, PrintStream progress) {
    this.shape = shape;
    this.progress = progress;
    this.group = NettyTransport.best().newGroup(shape.clientThreads(), "chat-load");
  }

  Outcome run(String server, String host, int port, @Nullable ChildServer child)
      throws Exception {
    try {
      ChildServer.Stats before = child == null ? null : child.stats(TIMEOUT);
      double loginsPerSecond = connectAndLogIn(host, port);
      join();
      ChildServer.Stats after = child == null ? null : child.stats(TIMEOUT);
      progress.printf(Locale.ROOT, "%s: %d clients logged in at %.0f/s; sending%n", server, shape.clients(), loginsPerSecond);
      send(shape.warmupSeconds(), false);
      long deliveredBefore = tally.delivered();
      double serverCpuBefore = child == null ? Double.NaN : child.cpuSeconds();
      double clientCpuBefore = cpuSeconds();
      long start = System.nanoTime();
      tally.recording(true);
      long sentMeasured = send(shape.durationSeconds(), true);
      double seconds = (System.nanoTime() - start) / 1e9;
      long deliveredDuring = tally.delivered() - deliveredBefore;
      double serverCpu = child == null ? Double.NaN : child.cpuSeconds() - serverCpuBefore;
      double clientCpu = cpuSeconds() - clientCpuBefore;
      drain();
      tally.recording(false);
      return new Outcome(
          server,
          loginsPerSecond,
          deliveredDuring / seconds,
          tally.total(),
          sentMeasured,
          tally.expected(),
          tally.delivered(),
          tally.duplicates(),
          tally.gaps(),
          tally.notices(),
          sendFailures.get(),
          before,
          after,
          serverCpu,
          clientCpu,
          deliveredDuring);
    } finally {
      for (PbClient c : clients) {
        c.closeAsync();
      }
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    }
  }

  /** CPU time this process used so far, all threads (NaN where the JVM does not tell). */
  private static double cpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      long nanos = os.getProcessCpuTime();
      return nanos < 0 ? Double.NaN : nanos / 1e9;
    }
    return Double.NaN;
  }

  private double connectAndLogIn(String host, int port) throws Exception {
    List<RemoteReference> roots = new ArrayList<>();
    for (int i = 0; i < shape.connections(); i++) {
      PbClient client = PbClient.builder().host(host).port(port).eventLoopGroup(group).build();
      clients.add(client);
      roots.add(client.getRootObject().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }
    int groupSize = (shape.clients() + shape.groups() - 1) / shape.groups();
    Semaphore inFlight = new Semaphore(shape.loginConcurrency());
    List<CompletableFuture<?>> logins = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < shape.clients(); i++) {
      ChatMember member = new ChatMember(i, shape.groups(), groupSize, tally);
      members.add(member);
      inFlight.acquire();
      CompletableFuture<RemoteReference> login =
          PbLogin.login(
              roots.get(i % roots.size()),
              UsernamePassword.of(ChatLoadServer.user(i), ChatLoadServer.PASSWORD),
              member);
      login.whenComplete((p, e) -> inFlight.release());
      logins.add(login.thenAccept(p -> member.perspective = p));
    }
    CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new))
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return shape.clients() / ((System.nanoTime() - start) / 1e9);
  }

  private void join() throws Exception {
    List<CompletableFuture<?>> joins = new ArrayList<>();
    for (ChatMember m : members) {
      joins.add(
          java.util.Objects.requireNonNull(m.perspective)
              .callRemote("joinGroup", "load-" + m.group)
              .thenAccept(v -> m.groupView = (RemoteReference) v));
    }
    CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new))
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * Sends at the shape's rate for {@code seconds}, round-robin over the members, printing progress
   * each second (latencies only if {@code report}); returns the count.
   */
  private long send(double seconds, boolean report) throws InterruptedException {
    if (seconds <= 0) {
      return 0;
    }
    long interval = (long) (1e9 / shape.rate());
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long nextReport = start + 1_000_000_000L;
    long count = 0;
    int next = 0;
    while (true) {
      long due = start + count * interval;
      if (due >= end) {
        break;
      }
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      ChatMember m = members.get(next);
      next = (next + 1) % members.size();
      tally.expect(groupSize(m.group));
      java.util.Objects.requireNonNull(m.groupView)
          .callRemote("send", m.line(m.sent++))
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  sendFailures.incrementAndGet();
                  firstFailure.compareAndSet(null, e);
                }
              });
      count++;
      if (System.nanoTime() >= nextReport) {
        nextReport += 1_000_000_000L;
        String drops = tally.notices() == 0 ? "" : String.format(
            Locale.ROOT, "  drop notices %,d  missing %,d", tally.notices(), tally.gaps());
        if (report) {
          Histogram h = tally.interval();
          progress.printf(
              Locale.ROOT,
              "  %4.0fs  sent %,d  delivered %,d  p50 %.2f ms  p99 %.2f ms%s%n",
              (System.nanoTime() - start) / 1e9,
              count,
              tally.delivered(),
              h.getValueAtPercentile(50) / 1e3,
              h.getValueAtPercentile(99) / 1e3,
              drops);
        } else {
          progress.printf(
              Locale.ROOT,
              "  warm-up %4.0fs  sent %,d  delivered %,d%s%n",
              (System.nanoTime() - start) / 1e9,
              count,
              tally.delivered(),
              drops);
        }
      }
    }
    return count;
  }

  private int groupSize(int group) {
    int n = shape.clients() / shape.groups();
    return group < shape.clients() % shape.groups() ? n + 1 : n;
  }

  /** Waits until every expected delivery arrived, or the drain time passed. */
  private void drain() throws InterruptedException {
    long end = System.nanoTime() + (long) (shape.drainSeconds() * 1e9);
    while (tally.delivered() + tally.gaps() < tally.expected() && System.nanoTime() < end) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
  }

  @Nullable Throwable firstFailure() {
    return firstFailure.get();
  }
}
