package io.github.pb4j.userstore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that provides a PostgreSQL server to tests as a {@link Database} parameter.
 *
 * <p>If the environment variable {@code PB4J_POSTGRES_URL} is set (a JDBC URL, with {@code
 * PB4J_POSTGRES_USER} and {@code PB4J_POSTGRES_PASSWORD} if needed), tests use that server.
 * Otherwise the extension starts a throwaway cluster once per test run: {@code initdb} (trust
 * authentication, no fsync) into a temporary directory, then {@code postgres} listening on a free
 * port of 127.0.0.1 with its unix socket inside that directory. It waits for the server's "ready to
 * accept connections" log line (bounded by a timeout; an early exit fails at once), checks a JDBC
 * connection, and stops the server ({@code pg_ctl stop -m fast}) and deletes the directory when the
 * run ends. As root, which {@code initdb} refuses, the server runs as the {@code postgres} user
 * through {@code runuser}.
 *
 * <p>The server binaries are looked up in {@code PB4J_POSTGRES_BINDIR}, then {@code
 * /usr/lib/postgresql/<newest>/bin}, then the {@code PATH}. Without them the test fails (never
 * skips) with a message naming the install step, {@code apt-get install -y postgresql}.
 *
 * <pre>{@code
 * @ExtendWith(PostgresServer.class)
 * class FooTest {
 *   @Test
 *   void works(PostgresServer.Database db) { ... db.url() ... }
 * }
 * }</pre>
 *
 * <p>Tests share the server, so each should use its own tables.
 */
public final class PostgresServer implements ParameterResolver {
  private static final Logger logger = LoggerFactory.getLogger(PostgresServer.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresServer.class);
  private static final String INSTALL_HINT =
      "install the PostgreSQL server with `apt-get install -y postgresql`, or set "
          + "PB4J_POSTGRES_URL to a running server";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Where the tests' database is.
   *
   * @param url a JDBC URL
   * @param user the database user, or {@code null}
   * @param password the database password, or {@code null}
   */
  public record Database(String url, @Nullable String user, @Nullable String password) {
    @Override
    public String toString() {
      return "Database[" + url + ", user=" + user + "]";
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Database.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Server.class, key -> Server.startOrConnect(), Server.class)
        .database();
  }

  /** The server of one test run. Closed by JUnit when the run ends, or at JVM exit. */
  static final class Server implements AutoCloseable {
    private final Database database;
    private final @Nullable Cluster cluster;
    private final Thread shutdownHook;

    private Server(Database database, @Nullable Cluster cluster) {
      this.database = database;
      this.cluster = cluster;
      this.shutdownHook = new Thread(this::stop, "pb4j-postgres-stop");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static Server startOrConnect() {
      String url = System.getenv("PB4J_POSTGRES_URL");
      if (url != null && !url.isBlank()) {
        var database =
            new Database(
                url, System.getenv("PB4J_POSTGRES_USER"), System.getenv("PB4J_POSTGRES_PASSWORD"));
        checkConnection(database, "PB4J_POSTGRES_URL=" + url);
        logger.info("using PostgreSQL at {}", url);
        return new Server(database, null);
      }
      Cluster cluster = Cluster.start();
      return new Server(cluster.database(), cluster);
    }

    Database database() {
      return database;
    }

    @Override
    public void close() {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down and the hook runs (or ran) stop().
        logger.debug("shutdown in progress", e);
      }
      stop();
    }

    private synchronized void stop() {
      if (cluster != null) {
        cluster.stop();
      }
    }
  }

  /** A cluster this extension created. */
  private static final class Cluster {
    private final Path directory;
    private final Path data;
    private final Path binaries;
    private final boolean asPostgresUser;
    private final int port;
    private final StringBuffer serverLog = new StringBuffer();
    private @Nullable Process process;
    private boolean stopped;

    private Cluster(Path directory, Path binaries, boolean asPostgresUser, int port) {
      this.directory = directory;
      this.data = directory.resolve("data");
      this.binaries = binaries;
      this.asPostgresUser = asPostgresUser;
      this.port = port;
    }

    static Cluster start() {
      Path binaries = findBinaries();
      boolean root = "root".equals(System.getProperty("user.name"));
      Cluster cluster;
      try {
        Path directory = Files.createTempDirectory("pb4j-postgres-");
        if (root) {
          giveToPostgresUser(directory);
        }
        cluster = new Cluster(directory, binaries, root, freePort());
      } catch (IOException e) {
        throw new IllegalStateException("cannot prepare a PostgreSQL test cluster", e);
      }
      try {
        cluster.initialize();
        cluster.launch();
        checkConnection(cluster.database(), "the test cluster");
        return cluster;
      } catch (RuntimeException | Error e) {
        cluster.stop();
        throw e;
      }
    }

    Database database() {
      return new Database("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
    }

    private void initialize() {
      Path log = directory.resolve("initdb.log");
      List<String> command =
          command(
              binaries.resolve("initdb").toString(),
              "-D",
              data.toString(),
              "-U",
              "postgres",
              "-A",
              "trust",
              "-E",
              "UTF8",
              "--no-locale",
              "--no-sync");
      try {
        Process initdb =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!initdb.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          initdb.destroyForcibly();
          throw new IllegalStateException("initdb did not finish within " + START_TIMEOUT);
        }
        if (initdb.exitValue() != 0) {
          throw new IllegalStateException(
              "initdb failed with exit code "
                  + initdb.exitValue()
                  + ": "
                  + Files.readString(log)
                  + "\n("
                  + INSTALL_HINT
                  + ")");
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot run " + command + " (" + INSTALL_HINT + ")", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running initdb", e);
      }
    }

    private void launch() {
      List<String> command =
          command(
              binaries.resolve("postgres").toString(),
              "-D",
              data.toString(),
              "-p",
              Integer.toString(port),
              "-h",
              "127.0.0.1",
              "-k",
              directory.toString(),
              "-c",
              "fsync=off",
              "-c",
              "synchronous_commit=off",
              "-c",
              "full_page_writes=off",
              "-c",
              "max_connections=20",
              "-c",
              "shared_buffers=16MB");
      var ready = new CompletableFuture<Void>();
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot run " + command + " (" + INSTALL_HINT + ")", e);
      }
      Process server = process;
      var drain = new Thread(() -> drain(server, ready), "pb4j-postgres-log");
      drain.setDaemon(true);
      drain.start();
      try {
        ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        logger.info("PostgreSQL test cluster ready on 127.0.0.1:{} in {}", port, directory);
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "PostgreSQL did not become ready within " + START_TIMEOUT + "; log:\n" + serverLog);
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "PostgreSQL exited before becoming ready; log:\n" + serverLog, e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting PostgreSQL", e);
      }
    }

    /** Copies the server's output to the log; completes {@code ready} on its ready line. */
    private void drain(Process server, CompletableFuture<Void> ready) {
      try (var reader =
          new BufferedReader(
              new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          serverLog.append(line).append('\n');
          logger.debug("postgres: {}", line);
          if (line.contains("database system is ready to accept connections")) {
            ready.complete(null);
          }
        }
      } catch (IOException e) {
        logger.debug("reading PostgreSQL output failed", e);
      }
      ready.completeExceptionally(new IllegalStateException("postgres exited"));
    }

    synchronized void stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      Process server = process;
      if (server != null && server.isAlive()) {
        runQuietly(
            command(
                binaries.resolve("pg_ctl").toString(),
                "stop",
                "-D",
                data.toString(),
                "-m",
                "fast",
                "-w",
                "-t",
                "30"));
        try {
          if (!server.waitFor(30, TimeUnit.SECONDS)) {
            logger.warn("PostgreSQL test cluster did not stop; killing it");
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      deleteRecursively(directory);
      logger.info("PostgreSQL test cluster on port {} stopped", port);
    }

    private List<String> command(String... arguments) {
      var command = new ArrayList<String>();
      if (asPostgresUser) {
        command.addAll(List.of("runuser", "-u", "postgres", "--"));
      }
      command.addAll(List.of(arguments));
      return command;
    }

    private static void runQuietly(List<String> command) {
      try {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (IOException e) {
        logger.warn("cannot run {}", command, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static Path findBinaries() {
      String configured = System.getenv("PB4J_POSTGRES_BINDIR");
      if (configured != null && !configured.isBlank()) {
        return hasServer(Path.of(configured))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "PB4J_POSTGRES_BINDIR="
                            + configured
                            + " has no initdb/postgres; "
                            + INSTALL_HINT));
      }
      Path debian = Path.of("/usr/lib/postgresql");
      if (Files.isDirectory(debian)) {
        try (Stream<Path> versions = Files.list(debian)) {
          Optional<Path> newest =
              versions
                  .map(version -> version.resolve("bin"))
                  .filter(bin -> hasServer(bin).isPresent())
                  .max(Comparator.comparingInt(PostgresServer.Cluster::majorVersion));
          if (newest.isPresent()) {
            return newest.get();
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (!entry.isEmpty() && hasServer(Path.of(entry)).isPresent()) {
          return Path.of(entry);
        }
      }
      throw new IllegalStateException(
          "PostgreSQL server binaries (initdb, postgres) not found in /usr/lib/postgresql/*/bin "
              + "or on the PATH: "
              + INSTALL_HINT);
    }

    private static Optional<Path> hasServer(Path bin) {
      return Files.isExecutable(bin.resolve("initdb"))
              && Files.isExecutable(bin.resolve("postgres"))
          ? Optional.of(bin)
          : Optional.empty();
    }

    private static int majorVersion(Path bin) {
      try {
        return Integer.parseInt(bin.getParent().getFileName().toString());
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    private static void giveToPostgresUser(Path directory) throws IOException {
      UserPrincipal postgres;
      try {
        postgres =
            directory
                .getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName("postgres");
      } catch (IOException e) {
        throw new IllegalStateException(
            "running as root, but there is no 'postgres' user to run the server as: "
                + INSTALL_HINT,
            e);
      }
      Files.setOwner(directory, postgres);
    }

    private static int freePort() throws IOException {
      try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      }
    }

    private static void deleteRecursively(Path directory) {
      try (Stream<Path> paths = Files.walk(directory)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (IOException e) {
        logger.warn("cannot delete {}", directory, e);
      }
    }
  }

  private static void checkConnection(Database database, String what) {
    try (var connection =
            DriverManager.getConnection(database.url(), database.user(), database.password());
        var statement = connection.createStatement()) {
      statement.execute("SELECT 1");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to " + what + " at " + database.url(), e);
    }
  }
}
