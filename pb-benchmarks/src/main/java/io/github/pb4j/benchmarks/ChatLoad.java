package io.github.pb4j.benchmarks;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Chat load tool: logs in N chat clients over M connections to the chat server of the PB chapter,
 * joins them to groups, sends at a fixed rate and checks that every message reaches every member
 * of its group exactly once, in order per sender. Reports logins/s, deliveries/s, delivery
 * latency, the CPU time per delivery of the server and of the load, and the server's memory per
 * connection; with {@code --server both}, pb4j's chat server and the seed's Twisted one in the
 * same run, side by side.
 *
 * <pre>{@code
 * java -cp pb-benchmarks/target/pb-benchmarks.jar io.github.pb4j.benchmarks.ChatLoad \
 *     --server both --clients 100 --connections 10 --rate 100 --warmup 10 --duration 10
 * }</pre>
 *
 * <p>Exit status: 0 when every run delivered exactly once and in order, 1 otherwise, 2 on a usage
 * error, 3 when a server could not be started or reached.
 */
@Command(
    name = "ChatLoad",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Load test of the chat server: logins, fan-out deliveries, latency, memory.")
public final class ChatLoad implements Callable<Integer> {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  @Option(names = "--server", defaultValue = "java", paramLabel = "java|twisted|both",
      description = "Which chat server to start (default: ${DEFAULT-VALUE}).")
  String server;

  @Option(names = "--port", paramLabel = "PORT",
      description = "Load a chat server already listening on 127.0.0.1:PORT (users load-0.. with"
          + " password pw) instead of starting one; no memory figures.")
  @Nullable Integer port;

  @Option(names = "--clients", defaultValue = "100", description = "Chat clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--connections", defaultValue = "10",
      description = "Connections the clients share (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--groups", defaultValue = "1", description = "Groups (default: ${DEFAULT-VALUE}).")
  int groups;

  @Option(names = "--rate", defaultValue = "100",
      description = "Messages sent per second, in total (default: ${DEFAULT-VALUE}); deliveries"
          + " per second are this times the group size.")
  double rate;

  @Option(names = {"-w", "--warmup"}, defaultValue = "3", paramLabel = "SECONDS",
      description = "Sending before measuring (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = {"-d", "--duration"}, defaultValue = "10", paramLabel = "SECONDS",
      description = "Measured sending time (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(names = "--drain", defaultValue = "10", paramLabel = "SECONDS",
      description = "Longest wait for the last deliveries (default: ${DEFAULT-VALUE}).")
  double drain;

  @Option(names = "--login-concurrency", defaultValue = "50",
      description = "Logins in flight at once (default: ${DEFAULT-VALUE}).")
  int loginConcurrency;

  @Option(names = "--client-threads", defaultValue = "2",
      description = "Event loop threads of the load's clients (default: ${DEFAULT-VALUE}).")
  int clientThreads;

  @Option(names = "--server-jvm-arg", paramLabel = "ARG",
      description = "JVM option for pb4j's server process (repeatable; replaces the default:"
          + " -Xmx1g and the heap sizing and native heap trimming ./pb starts servers with).")
  List<String> serverJvmArgs = LauncherJvmOptions.with("-Xmx1g");

  @Option(names = "--python", defaultValue = "/usr/bin/python3",
      description = "Python with Twisted for the Twisted server (default: ${DEFAULT-VALUE}).")
  String python;

  @Option(names = "--twisted-server", defaultValue = "pb-benchmarks/src/main/python/chat_load_server.py",
      description = "The Twisted chat server script (default: ${DEFAULT-VALUE}).")
  Path twistedServer;

  private final PrintStream out;

  ChatLoad(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(run(System.out, args));
  }

  static int run(PrintStream out, String... args) {
    return new CommandLine(new ChatLoad(out)).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    if (clients < 1 || connections < 1 || groups < 1 || groups > clients || rate <= 0
        || clientThreads < 1) {
      out.println(
          "ChatLoad: need clients >= groups >= 1, connections >= 1, rate > 0, client threads >= 1");
      return 2;
    }
    var shape = new ChatLoadRun.Shape(
        clients, connections, groups, rate, warmup, duration, drain, loginConcurrency,
        clientThreads);
    List<ChatLoadRun.Outcome> outcomes = new ArrayList<>();
    try {
      if (port != null) {
        outcomes.add(new ChatLoadRun(shape, out).run("external", "127.0.0.1", port, null));
      } else {
        for (String kind : server.equals("both") ? List.of("java", "twisted") : List.of(server)) {
          try (ChildServer child = start(kind)) {
            outcomes.add(new ChatLoadRun(shape, out).run(label(kind), "127.0.0.1", child.port(), child));
          }
        }
      }
    } catch (java.io.IOException e) {
      out.println("ChatLoad: " + e.getMessage());
      return 3;
    }
    ChatLoadReport.print(out, shape, outcomes);
    return outcomes.stream().allMatch(ChatLoadRun.Outcome::exact) ? 0 : 1;
  }

  private static String label(String kind) {
    return kind.equals("java") ? "pb4j" : "Twisted";
  }

  private ChildServer start(String kind) throws java.io.IOException {
    List<String> command = new ArrayList<>();
    if (kind.equals("java")) {
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(serverJvmArgs);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(ChatLoadServer.class.getName());
    } else if (kind.equals("twisted")) {
      if (!Files.exists(twistedServer)) {
        throw new java.io.IOException("no Twisted chat server at " + twistedServer + " (--twisted-server)");
      }
      command.add(python);
      command.add(twistedServer.toString());
    } else {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--server: " + kind + " (expected: java, twisted or both)");
    }
    command.add(Integer.toString(clients));
    return ChildServer.start(label(kind), command, START_TIMEOUT);
  }
}
