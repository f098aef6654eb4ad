package io.github.pb4j.examples.chat.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One database connection and the one thread that uses it: work submitted here runs in order of
 * submission, so what one session sends is committed, and therefore notified, in the order it was
 * sent. A failed statement closes the connection; the next piece of work opens a new one.
 *
 * <p><em>Thread-safe.</em>
 */
final class SqlWorker implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(SqlWorker.class);

  /** Most pieces of work waiting; past it, work is refused (the database is not keeping up). */
  static final int MAX_QUEUED = 16_384;

  /** A unit of database work on the worker's connection. */
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final Connector connector;
  private final ExecutorService executor;
  private volatile @Nullable Connection connection; // Used by the executor's thread only.

  SqlWorker(Connector connector, String threadName) {
    this.connector = connector;
    this.executor =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(MAX_QUEUED),
            task -> {
              Thread t = new Thread(task, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /** Runs {@code work} on the worker's thread, with autocommit on. */
  <T> CompletableFuture<T> submit(Work<T> work) {
    var result = new CompletableFuture<T>();
    try {
      executor.execute(
          () -> {
            try {
              result.complete(work.run(connection()));
            } catch (SQLException e) {
              dropConnection(e);
              result.completeExceptionally(e);
            } catch (RuntimeException | Error e) {
              result.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          new ChatClusterException(
              executor.isShutdown()
                  ? "the chat cluster is closed"
                  : "the chat cluster's database is not keeping up: " + MAX_QUEUED + " queued",
              e));
    }
    return result;
  }

  /** Runs {@code work} in one transaction on the worker's thread. */
  <T> CompletableFuture<T> transaction(Work<T> work) {
    return submit(c -> inTransaction(c, work));
  }

  /** Runs {@code work} in one transaction on {@code c}: commits, or rolls back on failure. */
  static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T value = work.run(c);
      c.commit();
      return value;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        c.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      try {
        c.setAutoCommit(true);
      } catch (SQLException e) {
        logger.debug("cannot restore autocommit", e);
      }
    }
  }

  private Connection connection() throws SQLException {
    Connection c = connection;
    if (c == null || c.isClosed()) {
      c = connector.connect();
      connection = c;
    }
    return c;
  }

  private void dropConnection(SQLException cause) {
    Connection c = connection;
    connection = null;
    if (c != null) {
      logger.debug("closing the chat cluster's connection after {}", cause.toString());
      try {
        c.close();
      } catch (SQLException e) {
        logger.debug("closing failed", e);
      }
    }
  }

  /**
   * Finishes the work already submitted (waiting up to {@code seconds}) and closes the connection.
   */
  void close(long seconds) {
    if (executor.isShutdown()) {
      return;
    }
    executor.shutdown(); // Queued work still runs, then the connection closes:
    closeConnectionWhenDone(seconds);
  }

  private void closeConnectionWhenDone(long seconds) {
    try {
      if (!executor.awaitTermination(seconds, TimeUnit.SECONDS)) {
        executor.shutdownNow();
        executor.awaitTermination(seconds, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    Connection c = connection; // The thread has ended: no longer confined.
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        logger.debug("closing failed", e);
      }
    }
  }

  @Override
  public void close() {
    close(10);
  }

  /** Opens connections to the cluster's database. */
  record Connector(String url, Properties properties) {
    Connection connect() throws SQLException {
      Connection c = DriverManager.getConnection(url, properties);
      c.setAutoCommit(true);
      return c;
    }

    @Override
    public String toString() {
      return "Connector[" + url + "]"; // Never the password.
    }
  }
}
