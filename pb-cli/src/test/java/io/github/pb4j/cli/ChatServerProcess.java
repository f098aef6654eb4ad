package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.userstore.PostgresServer;
import io.github.pb4j.testing.Lines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A {@code pb chat-server --cluster} in its own JVM (this test's class path, the command's own
 * logging configuration), its stdout and stderr collected line by line.
 */
final class ChatServerProcess implements AutoCloseable {
  static final Duration START = Duration.ofSeconds(60);

  final String name;
  final Process process;
  final Lines out = new Lines();
  final Lines err = new Lines();
  private int port = -1;

  private ChatServerProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    drain(process.getInputStream(), out, name + "-out");
    drain(process.getErrorStream(), err, name + "-err");
  }

  /**
   * Starts {@code pb chat-server --port 0 --cluster --cluster-name NAME args...} on {@code url}.
   */
  static ChatServerProcess start(
      PostgresServer.Database db, String url, String name, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add(
        "-Dlogback.configurationFile="
            + Path.of("src/main/resources/logback.xml").toAbsolutePath());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(
        List.of(
            "chat-server", "--port", "0", "--db-url", url, "--cluster", "--cluster-name", name));
    if (db.user() != null) {
      command.add("--db-user");
      command.add(db.user());
    }
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    if (db.password() != null) {
      builder.environment().put("PB_DB_PASSWORD", db.password());
    }
    return new ChatServerProcess(name, builder.start());
  }

  /** Waits for the listening line; returns the port. */
  int awaitListening() throws InterruptedException {
    String line = out.await(l -> l.startsWith("chat server listening on 127.0.0.1:"), START);
    assertThat(line).as("%s started; stderr %s", name, err.snapshot()).isNotNull();
    port = Integer.parseInt(line.replaceAll(".*:(\\d+) .*", "$1"));
    return port;
  }

  int port() {
    return port;
  }

  /** {@code kill -9}. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy(); // SIGTERM: a clean stop.
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void drain(InputStream in, Lines lines, String threadName) {
    Thread t =
        new Thread(
            () -> {
              try (var reader =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String l = reader.readLine(); l != null; l = reader.readLine()) {
                  lines.add(l);
                }
              } catch (IOException e) {
                lines.add("(read failed: " + e + ")");
              } finally {
                lines.close();
              }
            },
            threadName);
    t.setDaemon(true);
    t.start();
  }

  /** Creates an empty database on the test server; returns its JDBC URL. */
  static String freshDatabase(PostgresServer.Database server) throws SQLException {
    String name = "cli_chat_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    try (Connection c =
            DriverManager.getConnection(server.url(), server.user(), server.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    int slash = server.url().lastIndexOf('/');
    int query = server.url().indexOf('?', slash);
    return server.url().substring(0, slash + 1)
        + name
        + (query < 0 ? "" : server.url().substring(query));
  }

  /** Runs a query returning one number. */
  static long count(PostgresServer.Database db, String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
