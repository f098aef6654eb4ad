package io.github.pb4j.userstore;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.zip.CRC32;

/**
 * What differs between the databases a {@link JdbcUserStore} runs on: connection settings, and how
 * creating the schema is kept to one process at a time when several servers start at once.
 *
 * <ul>
 *   <li><b>PostgreSQL</b>: the schema is created in a transaction that first takes a
 *       transaction-level advisory lock ({@code pg_advisory_xact_lock}) whose key is derived from
 *       the table's name. A second server blocks on the lock until the first commits, then finds
 *       the table. (Without it, two concurrent {@code CREATE TABLE IF NOT EXISTS} can both miss the
 *       table and one fails on a duplicate key in PostgreSQL's catalog.)
 *   <li><b>SQLite</b>: the schema is created in a {@code BEGIN IMMEDIATE} transaction, which takes
 *       the file's write lock at once; others wait for it up to the busy timeout.
 *   <li>Any other JDBC database: one plain transaction.
 * </ul>
 */
enum Dialect {
  POSTGRESQL {
    @Override
    void configure(Properties properties) {
      // Bounded waits, and no row values (hashes) in exception messages.
      properties.setProperty("connectTimeout", "10");
      properties.setProperty("socketTimeout", "30");
      properties.setProperty("logServerErrorDetail", "false");
    }

    @Override
    void createSchema(Connection c, String table, SchemaWork work) throws SQLException {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
          lock.setLong(1, schemaLockKey(table));
          lock.execute();
        }
        work.run(c);
        c.commit(); // Releases the lock.
      } catch (SQLException | RuntimeException | Error e) {
        rollback(c, e);
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  },

  SQLITE {
    @Override
    void configure(Properties properties) {
      // Another process (the CLI, another server) may write the file meanwhile: wait for it.
      properties.setProperty("busy_timeout", "5000");
    }

    @Override
    void createSchema(Connection c, String table, SchemaWork work) throws SQLException {
      // The driver's own transactions begin DEFERRED; this one must hold the write lock from the
      // start, so it is begun by hand, in autocommit mode.
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
        try {
          work.run(c);
          s.execute("COMMIT");
        } catch (SQLException | RuntimeException | Error e) {
          try {
            s.execute("ROLLBACK");
          } catch (SQLException rollback) {
            e.addSuppressed(rollback);
          }
          throw e;
        }
      }
    }
  },

  OTHER {
    @Override
    void configure(Properties properties) {}

    @Override
    void createSchema(Connection c, String table, SchemaWork work) throws SQLException {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        work.run(c);
        c.commit();
      } catch (SQLException | RuntimeException | Error e) {
        rollback(c, e);
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  };

  /** The high half of every schema lock key: "pb4u" in ASCII. */
  private static final long LOCK_PREFIX = 0x70623475L << 32;

  /** Returns the dialect of {@code jdbcUrl}. */
  static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    } else if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    return OTHER;
  }

  /** Adds this database's connection settings to {@code properties}. */
  abstract void configure(Properties properties);

  /**
   * Runs {@code work} (which creates or migrates {@code table}) in one transaction that no other
   * process creating the same table runs at the same time, and commits it.
   */
  abstract void createSchema(Connection c, String table, SchemaWork work) throws SQLException;

  /**
   * Returns the advisory lock key that serializes creating {@code table}: fixed per table name
   * (folded to lower case, as PostgreSQL folds unquoted names), so stores of different tables do
   * not wait for each other, and distinct from the chat cluster's keys.
   */
  static long schemaLockKey(String table) {
    var crc = new CRC32();
    crc.update(table.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    return LOCK_PREFIX | crc.getValue();
  }

  private static void rollback(Connection c, Throwable failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /** Statements that create or migrate the schema, run by {@link #createSchema}. */
  @FunctionalInterface
  interface SchemaWork {
    void run(Connection c) throws SQLException;
  }
}
