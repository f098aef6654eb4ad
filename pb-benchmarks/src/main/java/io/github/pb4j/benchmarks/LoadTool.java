package io.github.pb4j.benchmarks;

import io.github.pb4j.benchmarks.LoadServer.Kind;
import io.github.pb4j.benchmarks.Scenario.Settings;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Loopback load test: servers in child JVMs (one per kind), this JVM as the client with one
 * connection per scenario. Every scenario is warmed up, then measured for a fixed time in slices
 * run round-robin across the scenarios (see {@link LoadRun}). Prints a table of calls per second
 * and the targets. Run from the benchmarks jar:
 *
 * <pre>{@code
 * java -cp pb-benchmarks/target/pb-benchmarks.jar io.github.pb4j.benchmarks.LoadTool --duration 10
 * }</pre>
 *
 * <p>Exit status: 0 when every scenario ran (whether or not it met its target), 1 when a call
 * failed, 2 on a usage error, 3 when a server could not be started or reached.
 */
@Command(
    name = "LoadTool",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Loopback load test of pb4j against a raw TCP baseline, servers in child JVMs.",
      "Scenarios: a = raw TCP ping-pong (Netty echo server, event-loop client), a-socket = the same"
          + " with blocking sockets, a-pipelined = raw TCP with N small messages outstanding,"
          + " a-large = raw TCP ping-pong of a 9 KB message, b = sequential echo(\"hello\") calls chained on the event"
          + " loop, b-blocking = the same with the caller blocking on each answer, c ="
          + " echo(\"hello\") with N calls outstanding, d = sequential echo of the 9 KB anchor"
          + " payload; t-b, t-c, t-d = what b, c and d do, by a Twisted client (a Python process)"
          + " against a Twisted server."
    })
public final class LoadTool implements Callable<Integer> {
  private static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(60);
  private static final double TARGET_B_SHARE_OF_A = 0.95;
  /** Issue 17: 1.5 M calls/s where raw pipelined TCP made 4.75 M messages/s. */
  private static final double TARGET_C_SHARE_OF_PIPELINED = 1.5 / 4.75;
  private static final double TARGET_C_CALLS_PER_SECOND = 250_000;
  private static final double TARGET_D_CALLS_PER_SECOND = 3_000;

  @Spec @Nullable CommandSpec spec;

  @Option(
      names = {"-d", "--duration"},
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "Measured time per scenario, in total (default: ${DEFAULT-VALUE}).")
  double durationSeconds;

  @Option(
      names = {"-w", "--warmup"},
      defaultValue = "5",
      paramLabel = "SECONDS",
      description = "Warm-up time per scenario before any is measured (default: ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(
      names = "--rounds",
      defaultValue = "20",
      paramLabel = "N",
      description =
          "Slices the measured time of each scenario is cut into, run round-robin across the "
              + "scenarios, forwards and backwards in turn, so that all see the same conditions; "
              + "an even number balances the two directions (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--outstanding",
      defaultValue = "100",
      paramLabel = "N",
      description = "Calls kept outstanding in scenario c (default: ${DEFAULT-VALUE}).")
  int outstanding;

  @Option(
      names = "--message-size",
      defaultValue = "32",
      paramLabel = "BYTES",
      description =
          "Message size of the raw TCP baselines (default: ${DEFAULT-VALUE}; the echo(\"hello\") "
              + "call is 47 bytes, its answer 25).")
  int messageSize;

  @Option(
      names = "--pipelined-message-size",
      defaultValue = "16",
      paramLabel = "BYTES",
      description =
          "Message size of the raw pipelined baseline a-pipelined, compared with c (default: "
              + "${DEFAULT-VALUE}).")
  int pipelinedMessageSize;

  @Option(
      names = "--large-message-size",
      defaultValue = "9094",
      paramLabel = "BYTES",
      description =
          "Message size of the raw baseline a-large, compared with d (default: ${DEFAULT-VALUE},"
              + " the size of d's payload jellied).")
  int largeMessageSize;

  @Option(
      names = {"-s", "--scenarios"},
      split = ",",
      paramLabel = "ID",
      defaultValue = "a-socket,a-large,a-pipelined,a,b,b-blocking,c,d,t-b,t-c,t-d",
      description = "Scenarios to run (default: ${DEFAULT-VALUE}).")
  List<String> scenarioIds = List.of();

  @Option(
      names = "--python",
      defaultValue = "/usr/bin/python3",
      paramLabel = "PATH",
      description =
          "Python with Twisted, for the t-* scenarios (default: ${DEFAULT-VALUE}).")
  String python = "/usr/bin/python3";

  @Option(
      names = "--in-process",
      description = "Run the servers in this JVM instead of a child process (quick checks only).")
  boolean inProcess;

  @Option(
      names = "--server-jvm-arg",
      paramLabel = "ARG",
      description =
          "JVM option for the server process; repeatable. It does not inherit this JVM's options.")
  List<String> serverJvmArgs = new ArrayList<>();

  /** Runs the tool and exits with its status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadTool()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    Settings settings = settings();
    Set<Scenario> selected = selectedScenarios();
    PrintStream out = System.out;
    out.println(header(settings));
    Map<Kind, EchoServer> servers = new EnumMap<>(Kind.class);
    Map<Scenario, Load> loads = new EnumMap<>(Scenario.class); // Runs in declaration order.
    Map<Scenario, LongSupplier> cpuClocks = new EnumMap<>(Scenario.class);
    List<Result> results;
    try {
      Set<Kind> unavailable = EnumSet.noneOf(Kind.class);
      for (Scenario scenario : selected) {
        EchoServer server = server(scenario.serverKind(), servers, unavailable);
        if (server == null) {
          continue;
        }
        Load load = open(scenario, server.port(), settings);
        loads.put(scenario, load);
        cpuClocks.put(scenario, cpuClock(load, server));
      }
      results = new LoadRun(loads, cpuClocks, settings).run();
    } catch (ServerException e) {
      System.err.println("LoadTool: " + e.getMessage());
      return 3;
    } finally {
      loads.values().forEach(Load::close);
      servers.values().forEach(LoadTool::closeQuietly);
    }
    for (Result r : results) {
      if (r.failure() != null) {
        System.err.printf(Locale.ROOT, "(%s) failed: %s%n", r.id(), r.failure());
      }
    }
    out.println();
    out.print(ResultTable.format(results));
    out.println();
    out.print(targets(results));
    out.printf(Locale.ROOT, "system load average (1 min) at the end: %.2f%n", loadAverage());
    return results.stream().anyMatch(r -> r.failure() != null) ? 1 : 0;
  }

  private Settings settings() {
    if (!(durationSeconds > 0)) {
      throw usage("--duration: " + durationSeconds + " (expected: > 0)");
    }
    if (!(warmupSeconds >= 0)) {
      throw usage("--warmup: " + warmupSeconds + " (expected: >= 0)");
    }
    if (rounds < 1) {
      throw usage("--rounds: " + rounds + " (expected: >= 1)");
    }
    if (outstanding < 1) {
      throw usage("--outstanding: " + outstanding + " (expected: >= 1)");
    }
    if (messageSize < 1) {
      throw usage("--message-size: " + messageSize + " (expected: >= 1)");
    }
    if (pipelinedMessageSize < 1) {
      throw usage("--pipelined-message-size: " + pipelinedMessageSize + " (expected: >= 1)");
    }
    if (largeMessageSize < 1) {
      throw usage("--large-message-size: " + largeMessageSize + " (expected: >= 1)");
    }
    return new Settings(warmupSeconds, durationSeconds, rounds, outstanding, messageSize,
        pipelinedMessageSize, largeMessageSize, python);
  }

  private Set<Scenario> selectedScenarios() {
    Set<Scenario> selected = EnumSet.noneOf(Scenario.class); // Runs in declaration order.
    for (String id : scenarioIds) {
      try {
        selected.add(Scenario.forId(id.trim().toLowerCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    }
    return selected;
  }

  private ParameterException usage(String message) {
    CommandSpec s = spec;
    return new ParameterException(s != null ? s.commandLine() : new CommandLine(this), message);
  }

  private String header(Settings settings) {
    return String.format(
        Locale.ROOT,
        "pb4j LoadTool: 127.0.0.1 loopback, servers %s, %s transport; Java %s (%s), %d CPUs, "
            + "load average %.2f; per scenario: warm-up %s s, then %s s measured in %d slices",
        inProcess ? "in this JVM" : "in child JVMs",
        NettyTransport.best().name().toLowerCase(Locale.ROOT),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        loadAverage(),
        trim(settings.warmupSeconds()),
        trim(settings.durationSeconds()),
        settings.rounds());
  }

  /**
   * Returns the system load average of the last minute; other work on the machine skews the
   * numbers.
   */
  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /**
   * Returns the running server of {@code kind}, started on first use; null if it is Twisted's
   * and cannot be started (said once on stderr): the rest still runs, without Twisted's rows.
   */
  private @Nullable EchoServer server(
      Kind kind, Map<Kind, EchoServer> servers, Set<Kind> unavailable) throws ServerException {
    EchoServer server = servers.get(kind);
    if (server != null || unavailable.contains(kind)) {
      return server;
    }
    try {
      server = startServer(kind);
    } catch (ServerException e) {
      if (kind != Kind.TWISTED_PB) {
        throw e;
      }
      System.err.println("LoadTool: skipping the Twisted scenarios: " + e.getMessage()
          + " (--python names a Python with Twisted)");
      unavailable.add(kind);
      return null;
    }
    servers.put(kind, server);
    return server;
  }

  private EchoServer startServer(Kind kind) throws ServerException {
    try {
      if (kind == Kind.TWISTED_PB) {
        return ServerProcess.startTwisted(python, SERVER_START_TIMEOUT);
      }
      return inProcess
          ? LoadServer.start(kind, 0)
          : ServerProcess.start(kind, serverJvmArgs, SERVER_START_TIMEOUT);
    } catch (Exception e) {
      throw new ServerException(
          "cannot start the " + kind.cliName() + " server: " + e.getMessage(), e);
    }
  }

  /**
   * Returns the CPU time of a scenario's processes: its client's ({@link Load#cpuNanos}: this JVM,
   * or a client process it steers) plus its server's if that runs in another process; -1 if
   * unknown.
   */
  static LongSupplier cpuClock(Load load, EchoServer server) {
    return () -> {
      long client = load.cpuNanos();
      long other = server.cpuNanos();
      return client < 0 || other < 0 ? -1 : client + other;
    };
  }

  private static Load open(Scenario scenario, int port, Settings settings) throws ServerException {
    try {
      return scenario.open(port, settings);
    } catch (Exception e) {
      throw new ServerException("(" + scenario.id() + ") cannot connect: " + e, e);
    }
  }

  static String targets(List<Result> results) {
    StringBuilder sb = new StringBuilder("targets\n");
    Result a = find(results, Scenario.A);
    Result b = find(results, Scenario.B);
    if (a != null && b != null) {
      double share = b.callsPerSecond() / a.callsPerSecond();
      sb.append(
          String.format(
              Locale.ROOT,
              "  (b) >= 95 %% of (a)        %8.1f %%    %s   (median of rounds %.0f %%; per round: %s)%n",
              share * 100,
              verdict(share >= TARGET_B_SHARE_OF_A),
              medianRoundShare(b, a) * 100,
              perRoundShares(b, a)));
    }
    Result c = find(results, Scenario.C);
    if (c != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  (c) >= 250,000 calls/s    %,10.0f    %s%n",
              c.callsPerSecond(),
              verdict(c.callsPerSecond() >= TARGET_C_CALLS_PER_SECOND)));
    }
    Result pipelined = find(results, Scenario.A_PIPELINED);
    if (c != null && pipelined != null) {
      double share = c.callsPerSecond() / pipelined.callsPerSecond();
      sb.append(
          String.format(
              Locale.ROOT,
              "  (c) >= 0.32 x (a-pipelined) %7.2f x    %s   (median of rounds %.2f x)%n",
              share,
              verdict(share >= TARGET_C_SHARE_OF_PIPELINED),
              medianRoundShare(c, pipelined)));
    }
    Result d = find(results, Scenario.D);
    if (d != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  (d) >= 3,000 calls/s      %,10.0f    %s%n",
              d.callsPerSecond(),
              verdict(d.callsPerSecond() >= TARGET_D_CALLS_PER_SECOND)));
    }
    Result large = find(results, Scenario.A_LARGE);
    if (d != null && large != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  (d) / (a-large)            %7.2f x           (median of rounds %.2f x)%n",
              d.callsPerSecond() / large.callsPerSecond(),
              medianRoundShare(d, large)));
    }
    ratioToTwisted(sb, results, Scenario.B, Scenario.T_B);
    ratioToTwisted(sb, results, Scenario.C, Scenario.T_C);
    ratioToTwisted(sb, results, Scenario.D, Scenario.T_D);
    return sb.toString();
  }

  /** Appends pb4j's rate over Twisted's for the same work, if both ran. */
  private static void ratioToTwisted(
      StringBuilder sb, List<Result> results, Scenario pb, Scenario twisted) {
    Result p = find(results, pb);
    Result t = find(results, twisted);
    if (p != null && t != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-26s %7.2f x           (median of rounds %.2f x)%n",
              "(" + pb.id() + ") / (" + twisted.id() + ")",
              p.callsPerSecond() / t.callsPerSecond(),
              medianRoundShare(p, t)));
    }
  }

  /**
   * Returns the rate of {@code b} over that of {@code a} in each round: slices that ran close in
   * time.
   */
  private static String perRoundShares(Result b, Result a) {
    List<String> shares = new ArrayList<>();
    for (int i = 0; i < Math.min(a.sliceRates().size(), b.sliceRates().size()); i++) {
      shares.add(
          String.format(
              Locale.ROOT, "%.0f %%", 100 * b.sliceRates().get(i) / a.sliceRates().get(i)));
    }
    return String.join(", ", shares);
  }

  /** Returns the median over rounds of the rate of {@code b} over that of {@code a}. */
  static double medianRoundShare(Result b, Result a) {
    int n = Math.min(a.sliceRates().size(), b.sliceRates().size());
    if (n == 0) {
      return Double.NaN;
    }
    double[] shares = new double[n];
    for (int i = 0; i < n; i++) {
      shares[i] = b.sliceRates().get(i) / a.sliceRates().get(i);
    }
    java.util.Arrays.sort(shares);
    return n % 2 == 1 ? shares[n / 2] : (shares[n / 2 - 1] + shares[n / 2]) / 2;
  }

  private static @Nullable Result find(List<Result> results, Scenario scenario) {
    for (Result r : results) {
      if (r.id().equals(scenario.id()) && r.failure() == null) {
        return r;
      }
    }
    return null;
  }

  private static String verdict(boolean met) {
    return met ? "met" : "MISSED";
  }

  private static String trim(double seconds) {
    return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
  }

  private static void closeQuietly(@Nullable EchoServer server) {
    if (server != null) {
      try {
        server.close();
      } catch (RuntimeException e) {
        System.err.println("LoadTool: server did not stop cleanly: " + e);
      }
    }
  }

  /** A server could not be started or reached. */
  private static final class ServerException extends Exception {
    ServerException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
