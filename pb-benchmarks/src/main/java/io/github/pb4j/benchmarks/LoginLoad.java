package io.github.pb4j.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Login and connection load: pb4j's chat server and the seed's Twisted one, each started fresh in
 * a child process, measured in the same run by the same pb4j client, side by side.
 *
 * <ol>
 *   <li><b>storm</b>: {@code --held} clients connect and log in at once ({@code --in-flight} at a
 *       time) against the just-started server — a reconnect storm after a restart, in the cold
 *       phase;
 *   <li><b>memory</b>: the server's RSS and live heap per idle logged-in connection, with those
 *       connections held;
 *   <li><b>concurrent</b>: with the connections held, logins on them, {@code --in-flight} at a
 *       time, for {@code --duration} seconds (warm);
 *   <li><b>sequential</b>: connect, log in and close, one at a time, for {@code --duration}
 *       seconds, after {@code --warmup} seconds of the same.
 * </ol>
 *
 * <pre>{@code
 * java -cp pb-benchmarks/target/pb-benchmarks.jar io.github.pb4j.benchmarks.LoginLoad --held 5000
 * }</pre>
 *
 * <p>Each process needs a file descriptor per connection: {@code --held 50000} needs {@code ulimit
 * -n} above 50,000 (and a local port range that large: {@code net.ipv4.ip_local_port_range}).
 * Exit status: 0 when every login succeeded, 1 otherwise, 2 on a usage error, 3 when a server
 * could not be started.
 */
@Command(
    name = "LoginLoad",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Logins and memory per connection: pb4j's chat server against Twisted's.")
public final class LoginLoad implements Callable<Integer> {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  @Option(names = "--server", defaultValue = "both", paramLabel = "java|twisted|both",
      description = "Which servers to measure (default: ${DEFAULT-VALUE}).")
  String server;

  @Option(names = "--held", defaultValue = "5000",
      description = "Logged-in connections held (default: ${DEFAULT-VALUE}).")
  int held;

  @Option(names = "--in-flight", defaultValue = "200",
      description = "Logins in flight at once (default: ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(names = {"-w", "--warmup"}, defaultValue = "5", paramLabel = "SECONDS",
      description = "Sequential logins before the measured ones (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = {"-d", "--duration"}, defaultValue = "5", paramLabel = "SECONDS",
      description = "Measured time of the concurrent and sequential phases (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(names = "--client-warmup", defaultValue = "5", paramLabel = "SECONDS",
      description = "Logins against a throwaway pb4j server first, so that the storms measure a cold"
          + " server, not a cold client (default: ${DEFAULT-VALUE}; 0: none).")
  double clientWarmup;

  @Option(names = "--client-threads", defaultValue = "2",
      description = "Event loop threads of the client (default: ${DEFAULT-VALUE}).")
  int clientThreads;

  @Option(names = "--server-jvm-arg", paramLabel = "ARG",
      description = "JVM option for pb4j's server process (repeatable; replaces the default:"
          + " -Xmx2g and the heap sizing and native heap trimming ./pb starts servers with).")
  List<String> serverJvmArgs = LauncherJvmOptions.with("-Xmx2g");

  @Option(names = "--server-warm-up", defaultValue = "2", paramLabel = "SECONDS",
      description = "How long pb4j's server warms its login path up before it listens, as"
          + " 'pb chat-server --warm-up' (default: ${DEFAULT-VALUE}, the chat server's; 0: none)."
          + " The start-up row shows what it costs.")
  double serverWarmUp;

  @Option(names = "--server-cds",
      description = "Start pb4j's measured server with a class-data sharing archive, as ./pb does:"
          + " recorded by the server of the client's warm-up (needs --client-warmup above 0).")
  boolean serverCds;

  @Option(names = "--python", defaultValue = "/usr/bin/python3",
      description = "Python with Twisted (default: ${DEFAULT-VALUE}).")
  String python;

  @Option(names = "--twisted-server", defaultValue = "pb-benchmarks/src/main/python/chat_load_server.py",
      description = "The Twisted chat server script (default: ${DEFAULT-VALUE}).")
  Path twistedServer;

  @Option(names = "--twisted-client", negatable = true, defaultValue = "true",
      fallbackValue = "true",
      description = "Also log in with Twisted's client (a Python process), concurrently and"
          + " sequentially, to each server (default: on; --no-twisted-client: pb4j's client only).")
  boolean twistedClient;

  private final PrintStream out;
  /** The class-data sharing option of the next pb4j server, if any. */
  private @org.jspecify.annotations.Nullable String cdsOption;

  LoginLoad(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(System.out, args));
  }

  static int run(PrintStream out, String... args) {
    return new CommandLine(new LoginLoad(out)).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    if (held < 1 || inFlight < 1 || inFlight > held) {
      out.println("LoginLoad: need held >= in-flight >= 1");
      return 2;
    }
    if (serverWarmUp < 0 || (serverCds && clientWarmup <= 0)) {
      out.println("LoginLoad: need --server-warm-up >= 0, and --client-warmup > 0 with --server-cds");
      return 2;
    }
    Map<String, LoginLoadRun.Outcome> outcomes = new LinkedHashMap<>();
    Path archive = serverCds ? Files.createTempFile("chat-load-server", ".jsa") : null;
    try {
      if (archive != null) {
        Files.delete(archive); // The JVM writes it as it exits.
      }
      if (clientWarmup > 0) {
        // The client's JIT warms up against a server nobody measures: otherwise the first server
        // measured meets a cold client in its storm, the second a warm one. With --server-cds,
        // that server records the classes it loaded as it exits, as ./pb's first run does.
        cdsOption = archive == null ? null : "-XX:ArchiveClassesAtExit=" + archive;
        try (ChildServer child = start("java", "warm-up");
            LoginLoadRun run =
                new LoginLoadRun(child, held, Math.min(inFlight, held), clientThreads, out)) {
          run.warmUp(clientWarmup);
        }
        cdsOption = archive == null ? null : "-XX:SharedArchiveFile=" + archive;
      }
      for (String kind : server.equals("both") ? List.of("java", "twisted") : List.of(server)) {
        String label = kind.equals("java") ? "pb4j" : "Twisted";
        try (ChildServer child = start(kind, label);
            LoginLoadRun run = new LoginLoadRun(child, held, inFlight, clientThreads, out)) {
          outcomes.put(label, run.run(warmup, duration, twistedClient ? python : null));
        }
      }
    } catch (IOException e) {
      out.println("LoginLoad: " + e.getMessage());
      return 3;
    } finally {
      if (archive != null) {
        Files.deleteIfExists(archive);
      }
    }
    print(outcomes);
    return outcomes.values().stream().allMatch(o -> o.allFailures() == 0) ? 0 : 1;
  }

  private ChildServer start(String kind, String label) throws IOException {
    List<String> command = new ArrayList<>();
    if (kind.equals("java")) {
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(serverJvmArgs);
      if (cdsOption != null) {
        command.add(cdsOption);
        command.add("-Xshare:auto");
        command.add("-Xlog:cds=off");
        command.add("-Xlog:cds+dynamic=off");
      }
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(ChatLoadServer.class.getName());
      command.add(Integer.toString(held));
      command.add("0");
      command.add(Double.toString(serverWarmUp));
      return ChildServer.start(label, command, START_TIMEOUT);
    } else if (kind.equals("twisted")) {
      if (!Files.exists(twistedServer)) {
        throw new IOException("no Twisted chat server at " + twistedServer + " (--twisted-server)");
      }
      command.add(python);
      command.add(twistedServer.toString());
    } else {
      throw new IOException("--server: " + kind + " (expected: java, twisted or both)");
    }
    command.add(Integer.toString(held));
    return ChildServer.start(label, command, START_TIMEOUT);
  }

  private void print(Map<String, LoginLoadRun.Outcome> outcomes) {
    List<String> names = new ArrayList<>(outcomes.keySet());
    List<LoginLoadRun.Outcome> list = new ArrayList<>(outcomes.values());
    out.printf(Locale.ROOT, "%nLoginLoad: %,d held connections, %d logins in flight, %d client threads,"
        + " pb4j server warm-up %.1f s%s%n",
        held, inFlight, clientThreads, serverWarmUp, serverCds ? ", with a CDS archive" : "");
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-40s", ""));
    names.forEach(n -> header.append(String.format(Locale.ROOT, "%14s", n)));
    boolean ratio = list.size() == 2;
    if (ratio) {
      header.append(String.format(Locale.ROOT, "%14s", "ratio"));
    }
    out.println(header);
    row("server start to READY (s)", list, LoginLoadRun.Outcome::startUpSeconds, ratio, "%14.2f");
    row("storm logins/s (fresh server)", list, LoginLoadRun.Outcome::stormPerSecond, ratio, "%,14.0f");
    row("storm: first second logins", list, o -> o.stormFirstSecond(), ratio, "%,14.0f");
    row("concurrent logins/s (warm)", list, LoginLoadRun.Outcome::concurrentPerSecond, ratio, "%,14.0f");
    row("sequential logins/s (warm)", list, LoginLoadRun.Outcome::sequentialPerSecond, ratio, "%,14.0f");
    row("sequential login p50 (ms)", list, o -> o.sequentialP50Micros() / 1e3, ratio, "%14.2f");
    row("sequential login p99 (ms)", list, o -> o.sequentialP99Micros() / 1e3, ratio, "%14.2f");
    row("server CPU per storm login (ms)", list, o -> o.stormCpuMicros() / 1e3, ratio, "%14.2f");
    row("server CPU per concurrent login (ms)", list, o -> o.concurrentCpuMicros() / 1e3, ratio, "%14.3f");
    row("server CPU per sequential login (ms)", list, o -> o.sequentialCpuMicros() / 1e3, ratio, "%14.3f");
    row("server RSS, fresh (MiB)", list, LoginLoadRun.Outcome::freshRssMib, ratio, "%14.1f");
    row("server RSS, all connections held (MiB)", list, LoginLoadRun.Outcome::heldRssMib, ratio,
        "%14.1f");
    row("server RSS per connection (KiB)", list, LoginLoadRun.Outcome::rssPerConnectionKib, ratio, "%14.1f");
    row("live heap per connection (KiB)", list, LoginLoadRun.Outcome::heapPerConnectionKib, false, "%14.1f");
    row("  2nd half: RSS per connection (KiB)", list, LoginLoadRun.Outcome::marginalRssPerConnectionKib, ratio,
        "%14.1f");
    row("  2nd half: live heap per conn. (KiB)", list, LoginLoadRun.Outcome::marginalHeapPerConnectionKib, false,
        "%14.1f");
    row("failed logins", list, o -> o.failures(), false, "%,14.0f");
    if (twistedClient && !list.isEmpty()) {
      out.println("With Twisted's client:");
      row("concurrent logins/s", list, o -> o.twistedConcurrent().perSecond(), ratio, "%,14.0f");
      row("sequential logins/s", list, o -> o.twistedSequential().perSecond(), ratio, "%,14.0f");
      row("failed logins", list,
          o -> o.twistedConcurrent().failures() + o.twistedSequential().failures(), false,
          "%,14.0f");
      if (ratio && names.equals(List.of("pb4j", "Twisted"))) {
        // Each server with its own side's client: pb4j's client for pb4j, Twisted's for Twisted.
        out.println("Each with its own client (pb4j client and server, Twisted client and server):");
        ownRow("concurrent logins/s", list, LoginLoadRun.Outcome::concurrentPerSecond,
            o -> o.twistedConcurrent().perSecond());
        ownRow("sequential logins/s", list, LoginLoadRun.Outcome::sequentialPerSecond,
            o -> o.twistedSequential().perSecond());
      }
    }
  }

  /** A row of pb4j's figure by its own client against Twisted's by its own client. */
  private void ownRow(
      String name,
      List<LoginLoadRun.Outcome> pair, // pb4j's outcome, then Twisted's
      java.util.function.ToDoubleFunction<LoginLoadRun.Outcome> pb4j,
      java.util.function.ToDoubleFunction<LoginLoadRun.Outcome> twisted) {
    double a = pb4j.applyAsDouble(pair.get(0));
    double b = twisted.applyAsDouble(pair.get(1));
    out.println(String.format(Locale.ROOT, "%-40s%,14.0f%,14.0f%13.2fx", name, a, b, a / b));
  }

  private void row(
      String name,
      List<LoginLoadRun.Outcome> list,
      java.util.function.ToDoubleFunction<LoginLoadRun.Outcome> value,
      boolean ratio,
      String format) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-40s", name));
    for (LoginLoadRun.Outcome o : list) {
      line.append(String.format(Locale.ROOT, format, value.applyAsDouble(o)));
    }
    if (ratio) {
      double r = value.applyAsDouble(list.get(0)) / value.applyAsDouble(list.get(1));
      // A tiny run can measure 0 (CPU time comes in clock ticks): no ratio then.
      line.append(Double.isFinite(r) ? String.format(Locale.ROOT, "%13.2fx", r)
          : String.format(Locale.ROOT, "%14s", "n/a"));
    }
    out.println(line);
  }
}
