package io.github.pb4j.benchmarks;

import io.github.pb4j.PbLogin;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.netty.PbClient;
import io.netty.channel.EventLoopGroup;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/** One {@link LoginLoad} run against one freshly started server. */
final class LoginLoadRun implements AutoCloseable {
  /** What a run measured. */
  record Outcome(
      double stormPerSecond,
      double stormFirstSecond,
      double concurrentPerSecond,
      double sequentialPerSecond,
      double sequentialP50Micros,
      double sequentialP99Micros,
      double rssPerConnectionKib,
      double heapPerConnectionKib,
      double marginalRssPerConnectionKib,
      double marginalHeapPerConnectionKib,
      double stormCpuMicros,
      double concurrentCpuMicros,
      double sequentialCpuMicros,
      double startUpSeconds,
      long failures,
      double freshRssMib,
      double heldRssMib,
      TwistedLoginClient.@Nullable Result twistedConcurrent,
      TwistedLoginClient.@Nullable Result twistedSequential) {

    /** Failed logins of every client. */
    long allFailures() {
      return failures
          + (twistedConcurrent == null ? 0 : twistedConcurrent.failures())
          + (twistedSequential == null ? 0 : twistedSequential.failures());
    }
  }

  /** The chat server wants a mind; this one ignores what it is told. */
  public static final class Mind implements Referenceable {
    @Remote
    public void print(String line) {}
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final ChildServer server;
  private final int held;
  private final int inFlight;
  private final PrintStream progress;
  private final EventLoopGroup group;
  private final List<PbClient> clients = new ArrayList<>();
  private final List<RemoteReference> roots = new ArrayList<>();
  private final AtomicLong failures = new AtomicLong();

  LoginLoadRun(ChildServer server, int held, int inFlight, int threads, PrintStream progress) {
    this.server = server;
    this.held = held;
    this.inFlight = inFlight;
    this.progress = progress;
    this.group = NettyTransport.best().newGroup(threads, "login-load");
  }

  /**
   * Measures the server: a storm of logins on fresh connections, then logins in flight on the held
   * ones, then sequential logins; then, with {@code python} given, the same two by the Twisted
   * client ({@link TwistedLoginClient}).
   */
  Outcome run(double warmupSeconds, double durationSeconds, @Nullable String python)
      throws Exception {
    // The storm comes in two halves with the memory measured between them: the first half pays
    // for what a fresh server sets up once (compiled code, heap the collector commits), the
    // second shows what one more connection costs.
    int half = held / 2;
    ChildServer.Stats before = server.stats(TIMEOUT);
    long cpu0 = server.cpuNanos(TIMEOUT);
    AtomicLong firstSecond = new AtomicLong();
    long stormStart = System.nanoTime();
    long elapsed = storm(0, half, stormStart, firstSecond);
    long firstHalfEnd = stormStart + elapsed;
    long cpuHalf = server.cpuNanos(TIMEOUT);
    ChildServer.Stats middle = server.stats(TIMEOUT);
    long cpuHalf2 = server.cpuNanos(TIMEOUT);
    long secondStart = System.nanoTime();
    // Counts what still lands in the first second of storm time: the memory measurement between
    // the halves (full collections on the JVM, hundreds of milliseconds) is no part of it.
    storm(half, held, stormStart + (secondStart - firstHalfEnd), firstSecond);
    elapsed += System.nanoTime() - secondStart;
    long cpu1 = (cpuHalf - cpu0) + server.cpuNanos(TIMEOUT) - cpuHalf2;
    ChildServer.Stats after = server.stats(TIMEOUT);
    long[] storm = {elapsed, firstSecond.get()};
    double stormPerSecond = held / (storm[0] / 1e9);
    progress.printf(Locale.ROOT, "%s: storm of %,d logins at %,.0f/s%n", server.name(), held, stormPerSecond);
    long cpu2 = server.cpuNanos(TIMEOUT);
    double[] concurrent = concurrent(durationSeconds);
    long cpu3 = server.cpuNanos(TIMEOUT);
    progress.printf(Locale.ROOT, "%s: concurrent logins %,.0f/s%n", server.name(), concurrent[0]);
    sequential(warmupSeconds, new Histogram(3));
    Histogram latency = new Histogram(3);
    long cpu4 = server.cpuNanos(TIMEOUT);
    double[] sequential = sequential(durationSeconds, latency);
    long cpu5 = server.cpuNanos(TIMEOUT);
    progress.printf(Locale.ROOT, "%s: sequential logins %,.0f/s%n", server.name(), sequential[0]);
    TwistedLoginClient.Result twistedConcurrent = null;
    TwistedLoginClient.Result twistedSequential = null;
    if (python != null) {
      twistedConcurrent = TwistedLoginClient.run(python, server.port(), held,
          TwistedLoginClient.Mode.CONCURRENT, inFlight, warmupSeconds, durationSeconds);
      twistedSequential = TwistedLoginClient.run(python, server.port(), held,
          TwistedLoginClient.Mode.SEQUENTIAL, 1, warmupSeconds, durationSeconds);
      progress.printf(Locale.ROOT, "%s: Twisted client: concurrent logins %,.0f/s, sequential"
          + " %,.0f/s%n", server.name(), twistedConcurrent.perSecond(),
          twistedSequential.perSecond());
    }
    double heap =
        after.liveHeapBytes() == 0
            ? Double.NaN
            : (after.liveHeapBytes() - before.liveHeapBytes()) / 1024.0 / held;
    int secondHalf = held - half;
    double marginalHeap =
        after.liveHeapBytes() == 0
            ? Double.NaN
            : (after.liveHeapBytes() - middle.liveHeapBytes()) / 1024.0 / secondHalf;
    return new Outcome(
        stormPerSecond,
        storm[1],
        concurrent[0],
        sequential[0],
        latency.getValueAtPercentile(50),
        latency.getValueAtPercentile(99),
        (after.rssKib() - before.rssKib()) / (double) held,
        heap,
        (after.rssKib() - middle.rssKib()) / (double) secondHalf,
        marginalHeap,
        cpu1 / 1e3 / held,
        (cpu3 - cpu2) / 1e3 / Math.max(1, concurrent[1]),
        (cpu5 - cpu4) / 1e3 / Math.max(1, sequential[1]),
        server.startUpSeconds(),
        failures.get(),
        before.rssKib() / 1024.0,
        after.rssKib() / 1024.0,
        twistedConcurrent,
        twistedSequential);
  }

  /**
   * Warms the client up: a storm, then concurrent and sequential logins for {@code seconds} in
   * all; measures nothing.
   */
  void warmUp(double seconds) throws Exception {
    storm(0, held, System.nanoTime(), new AtomicLong());
    concurrent(seconds / 2);
    sequential(seconds / 2, new Histogram(3));
    progress.printf(Locale.ROOT, "client warmed up (%,d failed logins)%n", failures.get());
  }

  private PbClient newClient() {
    return PbClient.builder().host("127.0.0.1").port(server.port()).eventLoopGroup(group).build();
  }

  private CompletableFuture<RemoteReference> login(RemoteReference root, int user) {
    return PbLogin.login(
        root, UsernamePassword.of(ChatLoadServer.user(user % held), ChatLoadServer.PASSWORD), new Mind());
  }

  /**
   * Connects and logs in clients {@code from} to {@code to - 1}; counts in {@code firstSecond} the
   * logins done within a second of {@code start}; returns the nanoseconds it took.
   */
  private long storm(int from, int to, long start, AtomicLong firstSecond) throws Exception {
    Semaphore slots = new Semaphore(inFlight);
    List<CompletableFuture<?>> all = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      slots.acquire();
      PbClient client = newClient();
      clients.add(client);
      int user = i;
      CompletableFuture<?> done =
          client.getRootObject()
              .thenCompose(root -> {
                synchronized (roots) {
                  roots.add(root);
                }
                return login(root, user);
              })
              .whenComplete((p, e) -> {
                slots.release();
                if (e != null) {
                  failures.incrementAndGet();
                } else if (System.nanoTime() - start < 1_000_000_000L) {
                  firstSecond.incrementAndGet();
                }
              });
      all.add(done);
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .exceptionally(e -> null)
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return System.nanoTime() - start;
  }

  /**
   * Logs in on the held connections, {@code inFlight} at a time; returns {logins per second,
   * logins}.
   */
  private double[] concurrent(double seconds) throws Exception {
    Semaphore slots = new Semaphore(inFlight);
    AtomicLong done = new AtomicLong();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int i = 0;
    while (System.nanoTime() < end) {
      if (!slots.tryAcquire(10, TimeUnit.MILLISECONDS)) {
        continue;
      }
      RemoteReference root = roots.get(i % roots.size());
      login(root, i++)
          .whenComplete((p, e) -> {
            slots.release();
            if (e != null) {
              failures.incrementAndGet();
            } else {
              p.release();
              done.incrementAndGet();
            }
          });
    }
    long count = done.get();
    double elapsed = (System.nanoTime() - start) / 1e9;
    slots.acquire(inFlight);
    slots.release(inFlight);
    return new double[] {count / elapsed, done.get()};
  }

  /** Connects, logs in and closes, one at a time; returns {logins per second, logins}. */
  private double[] sequential(double seconds, Histogram latency) throws Exception {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long count = 0;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      try (PbClient client = newClient()) {
        RemoteReference root = client.getRootObject().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        login(root, (int) count).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
        count++;
      } catch (java.util.concurrent.ExecutionException e) {
        failures.incrementAndGet();
      }
    }
    return new double[] {count / ((System.nanoTime() - start) / 1e9), count};
  }

  @Override
  public void close() {
    List<CompletableFuture<?>> closing = new ArrayList<>();
    for (PbClient c : clients) {
      closing.add(c.closeAsync());
    }
    CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
        .completeOnTimeout(null, 30, TimeUnit.SECONDS)
        .join();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
