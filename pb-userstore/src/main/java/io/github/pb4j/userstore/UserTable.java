package io.github.pb4j.userstore;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL of {@link JdbcUserStore}: one table, one connection. Every method blocks; callers run
 * them on the store's executor.
 *
 * <pre>
 * CREATE TABLE IF NOT EXISTS pb4j_users (
 *   username      VARCHAR(255) NOT NULL PRIMARY KEY,
 *   password_hash VARCHAR(512) NOT NULL,   -- Argon2id PHC string
 *   md5_verifier  CHAR(32)                 -- hex MD5 of the password, or NULL
 * )
 * </pre>
 *
 * <p>The one connection is opened on first use (creating the schema if missing, one process at a
 * time: see {@link Dialect}) and shared under a lock; a connection found broken after a failure is
 * dropped and reopened on the next call. Statements are short, and hashing happens outside the
 * lock, so one connection serves the small pool of a {@link JdbcUserStore}.
 *
 * <p><em>Thread-safe.</em>
 */
final class UserTable implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(UserTable.class);

  private final String url;
  private final Dialect dialect;
  private final Properties properties;
  private final String table;
  private final @Nullable Path sqliteFile;
  private final ReentrantLock lock = new ReentrantLock();
  private @Nullable Connection connection; // Guarded by lock.
  private boolean closed; // Guarded by lock.

  /** A user's row. Holds secrets: never log it. */
  record Row(String username, String passwordHash, @Nullable String md5Verifier) {
    @Override
    public String toString() {
      return "Row[username=" + username + "]";
    }
  }

  UserTable(String url, Properties properties, String table, @Nullable Path sqliteFile) {
    this.url = url;
    this.dialect = Dialect.of(url);
    this.properties = properties;
    this.table = table;
    this.sqliteFile = sqliteFile;
  }

  Optional<Row> find(String username) throws SQLException {
    return withConnection(
        c -> {
          try (var s =
              c.prepareStatement(
                  "SELECT username, password_hash, md5_verifier FROM "
                      + table
                      + " WHERE username = ?")) {
            s.setString(1, username);
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? Optional.of(new Row(r.getString(1), r.getString(2), r.getString(3)))
                  : Optional.empty();
            }
          }
        });
  }

  /** Inserts a user; returns {@code false} if the username is taken. */
  boolean insert(String username, String passwordHash, @Nullable String md5Verifier)
      throws SQLException {
    return withConnection(
        c -> {
          try (var s =
              c.prepareStatement(
                  "INSERT INTO "
                      + table
                      + " (username, password_hash, md5_verifier) VALUES (?, ?, ?)")) {
            s.setString(1, username);
            s.setString(2, passwordHash);
            s.setString(3, md5Verifier);
            s.executeUpdate();
            return true;
          } catch (SQLException e) {
            // Databases report duplicate keys differently; asking is portable.
            if (exists(c, username)) {
              return false;
            }
            throw e;
          }
        });
  }

  /** Replaces a user's secrets; returns {@code false} if there is no such user. */
  boolean update(String username, String passwordHash, @Nullable String md5Verifier)
      throws SQLException {
    return executeUpdate(
            "UPDATE " + table + " SET password_hash = ?, md5_verifier = ? WHERE username = ?",
            passwordHash,
            md5Verifier,
            username)
        > 0;
  }

  /**
   * Replaces a user's secrets only if the password hash is still {@code expectedHash}, so an
   * upgrade after login cannot undo a concurrent password change.
   */
  boolean compareAndUpdate(
      String username, String expectedHash, String passwordHash, @Nullable String md5Verifier)
      throws SQLException {
    return executeUpdate(
            "UPDATE "
                + table
                + " SET password_hash = ?, md5_verifier = ?"
                + " WHERE username = ? AND password_hash = ?",
            passwordHash,
            md5Verifier,
            username,
            expectedHash)
        > 0;
  }

  boolean delete(String username) throws SQLException {
    return executeUpdate("DELETE FROM " + table + " WHERE username = ?", username) > 0;
  }

  int clearMd5Verifiers() throws SQLException {
    return executeUpdate(
        "UPDATE " + table + " SET md5_verifier = NULL WHERE md5_verifier IS NOT NULL");
  }

  List<String> usernames() throws SQLException {
    return withConnection(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet r =
                  s.executeQuery("SELECT username FROM " + table + " ORDER BY username")) {
            var names = new ArrayList<String>();
            while (r.next()) {
              names.add(r.getString(1));
            }
            return List.copyOf(names);
          }
        });
  }

  boolean isEmpty() throws SQLException {
    return withConnection(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT 1 FROM " + table + " LIMIT 1")) {
            return !r.next();
          }
        });
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      closeConnection();
    } finally {
      lock.unlock();
    }
  }

  private int executeUpdate(String sql, @Nullable String... parameters) throws SQLException {
    return withConnection(
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
              s.setString(i + 1, parameters[i]);
            }
            return s.executeUpdate();
          }
        });
  }

  private boolean exists(Connection c, String username) throws SQLException {
    try (var s = c.prepareStatement("SELECT 1 FROM " + table + " WHERE username = ?")) {
      s.setString(1, username);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  private <T> T withConnection(SqlWork<T> work) throws SQLException {
    lock.lock();
    try {
      if (closed) {
        throw new SQLException("user store is closed");
      }
      Connection c = connection();
      try {
        return work.run(c);
      } catch (SQLException e) {
        dropIfBroken(c);
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  private Connection connection() throws SQLException {
    Connection c = connection;
    if (c == null) {
      createSqliteFile();
      c = DriverManager.getConnection(url, properties);
      try {
        createSchema(c);
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      connection = c;
      logger.debug("connected to user store {}, table {}", redacted(url), table);
    }
    return c;
  }

  private void createSchema(Connection c) throws SQLException {
    dialect.createSchema(
        c,
        table,
        tx -> {
          try (Statement s = tx.createStatement()) {
            s.executeUpdate(
                "CREATE TABLE IF NOT EXISTS "
                    + table
                    + " ("
                    + "username VARCHAR(255) NOT NULL PRIMARY KEY, "
                    + "password_hash VARCHAR(512) NOT NULL, "
                    + "md5_verifier CHAR(32))");
          }
        });
  }

  /** Creates a new SQLite file readable by its owner only: it holds password equivalents. */
  private void createSqliteFile() throws SQLException {
    Path file = sqliteFile;
    if (file == null || Files.exists(file)) {
      return;
    }
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
    } catch (FileAlreadyExistsException e) {
      logger.debug("user store file {} appeared concurrently; using it", file);
    } catch (IOException e) {
      throw new SQLException("cannot create user store file " + file, e);
    }
  }

  private void dropIfBroken(Connection c) {
    try {
      if (c.isValid(2)) {
        return;
      }
    } catch (SQLException e) {
      logger.debug("cannot validate user store connection; dropping it", e);
    }
    logger.warn("user store connection to {} is broken; reconnecting on next use", redacted(url));
    closeConnection();
  }

  private void closeConnection() {
    Connection c = connection;
    connection = null;
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      // Nothing to do about a connection that cannot close; it is abandoned either way.
      logger.debug("closing user store connection failed", e);
    }
  }

  @Override
  public String toString() {
    return redacted(url) + ", table " + table;
  }

  /** Returns {@code url} without parameters, which may hold a database password. */
  static String redacted(String url) {
    int end = url.length();
    for (char c : new char[] {'?', ';'}) {
      int at = url.indexOf(c);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    return end < url.length() ? url.substring(0, end) + "?..." : url;
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }
}
