package io.github.pb4j.buildbot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real Buildbot master (Debian's {@code buildbot}) for tests: created with {@code buildbot
 * create-master} on SQLite, run in the foreground with {@code buildbot start --nodaemon}, fed
 * changes with {@code buildbot sendchange}, and read back from its database.
 */
final class BuildbotMaster implements AutoCloseable {
  static final String BUILDBOT = "/usr/bin/buildbot";
  static final String WORKER = "/usr/bin/buildbot-worker";

  final Path dir;
  final int port;
  private @Nullable Process process;
  private long logOffset;

  record Build(long id, int number, @Nullable Integer results, boolean complete, String state) {}

  record Step(long id, int number, String name, @Nullable Integer results, String state) {}

  private BuildbotMaster(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Creates a master in {@code dir} with the test's master.cfg on a free port. */
  static BuildbotMaster create(Path dir) throws Exception {
    assertThat(Path.of(BUILDBOT)).as("Debian's buildbot (run-tests installs it)").isExecutable();
    assertThat(Path.of(WORKER)).as("Debian's buildbot-worker (run-tests installs it)").isExecutable();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    run(dir.getParent(), Duration.ofSeconds(60), BUILDBOT, "create-master", "-r", dir.toString());
    String cfg;
    try (InputStream in = BuildbotMaster.class.getResourceAsStream("master.cfg")) {
      cfg = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Files.writeString(dir.resolve("master.cfg"), cfg.replace("@PORT@", Integer.toString(port)));
    return new BuildbotMaster(dir, port);
  }

  /** Runs a program to its end; fails on a non-zero exit. Returns its output. */
  static String run(Path cwd, Duration timeout, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("%s finishes", List.of(command)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("%s: %s", List.of(command), text).isZero();
    return text;
  }

  Path twistdLog() {
    return dir.resolve("twistd.log");
  }

  String log() throws IOException {
    return Files.exists(twistdLog()) ? Files.readString(twistdLog(), StandardCharsets.UTF_8) : "";
  }

  /** Starts the master and waits until it runs. */
  void start() throws Exception {
    logOffset = log().length();
    process = new ProcessBuilder(BUILDBOT, "start", "--nodaemon", dir.toString())
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile())
        .start();
    awaitLog("BuildMaster is running", Duration.ofSeconds(60));
  }

  /** Waits until twistd.log (since the last start) says {@code text}. */
  void awaitLog(String text, Duration timeout) throws Exception {
    await(() -> {
      try {
        String log = log();
        String since = log.length() >= logOffset ? log.substring((int) logOffset) : log;
        assertThat(since).doesNotContain("BuildMaster startup failed");
        return since.contains(text);
      } catch (IOException e) {
        return false;
      }
    }, timeout, "master log: " + text);
  }

  /** Counts the occurrences of {@code text} in twistd.log since the last start. */
  int countInLog(String text) throws IOException {
    String log = log();
    String since = log.length() >= logOffset ? log.substring((int) logOffset) : log;
    int n = 0;
    for (int i = since.indexOf(text); i >= 0; i = since.indexOf(text, i + 1)) {
      n++;
    }
    return n;
  }

  /** Stops the master (SIGTERM) and waits for it to exit. */
  void stop() throws Exception {
    Process p = process;
    if (p != null) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      process = null;
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  /** Sends a change on {@code branch} (triggers that scenario's builders). */
  void sendChange(String branch) throws Exception {
    run(dir, Duration.ofSeconds(60), BUILDBOT, "sendchange", "--master", "127.0.0.1:" + port,
        "--auth", "chg:chgpw", "--who", "test", "--branch", branch, "file.txt");
  }

  static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100); // Polling an external process's files: there is no event to wait on.
    }
  }

  private Connection db() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state.sqlite") + "?open_mode=1");
  }

  private <T> List<T> query(String sql, Row<T> row, Object... args) {
    for (int attempt = 0; ; attempt++) {
      try (Connection c = db(); PreparedStatement s = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          s.setObject(i + 1, args[i]);
        }
        List<T> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(row.map(rs));
          }
        }
        return out;
      } catch (SQLException e) {
        if (attempt > 50 || !String.valueOf(e.getMessage()).contains("locked")) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private static @Nullable Integer intOrNull(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  List<Build> builds(String builder) {
    return query("select b.id, b.number, b.results, b.complete_at, b.state_string from builds b "
        + "join builders bl on bl.id = b.builderid where bl.name = ? order by b.number",
        rs -> new Build(rs.getLong("id"), rs.getInt("number"), intOrNull(rs, "results"),
            rs.getObject("complete_at") != null, rs.getString("state_string")), builder);
  }

  /** Waits for build {@code number} of {@code builder} to complete. */
  Build awaitBuild(String builder, int number, Duration timeout) throws InterruptedException {
    await(() -> builds(builder).stream().anyMatch(b -> b.number() == number && b.complete()), timeout,
        "build " + number + " of " + builder);
    return builds(builder).stream().filter(b -> b.number() == number).findFirst().orElseThrow();
  }

  List<Step> steps(long buildId) {
    return query("select id, number, name, results, state_string from steps where buildid = ? order by number",
        rs -> new Step(rs.getLong("id"), rs.getInt("number"), rs.getString("name"), intOrNull(rs, "results"),
            rs.getString("state_string")), buildId);
  }

  /** The logs of a step: name to content (each line starts with its stream: o, e or h). */
  Map<String, String> logs(long stepId) {
    Map<String, String> result = new LinkedHashMap<>();
    List<Object[]> logs = query("select id, name from logs where stepid = ? order by id",
        rs -> new Object[] {rs.getLong("id"), rs.getString("name")}, stepId);
    for (Object[] log : logs) {
      List<String> chunks = query("select content from logchunks where logid = ? order by first_line",
          rs -> new String(rs.getBytes("content"), StandardCharsets.UTF_8), log[0]);
      result.put((String) log[1], chunks.stream().map(c -> c + "\n").collect(java.util.stream.Collectors.joining()));
    }
    return result;
  }

  Map<String, String> properties(long buildId) {
    Map<String, String> result = new LinkedHashMap<>();
    query("select name, value from build_properties where buildid = ?",
        rs -> result.put(rs.getString("name"), rs.getString("value")), buildId);
    return result;
  }

  /** Starts Python's buildbot-worker NAME in {@code workerDir}, in the foreground. */
  Process startPythonWorker(Path workerDir, String name, String password) throws Exception {
    if (!Files.exists(workerDir.resolve("buildbot.tac"))) {
      run(dir.getParent(), Duration.ofSeconds(60), WORKER, "create-worker", "--keepalive=60",
          workerDir.toString(), "127.0.0.1:" + port, name, password);
    }
    return new ProcessBuilder(WORKER, "start", "--nodaemon", workerDir.toString())
        .directory(workerDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(workerDir.resolve("stdout.log").toFile())
        .start();
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
