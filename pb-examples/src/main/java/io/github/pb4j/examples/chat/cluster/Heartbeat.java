package io.github.pb4j.examples.chat.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this server alive in {@code pb4j_chat_servers} and buries the dead. Every {@code period} it
 * pushes its row's {@code expires_at} to {@code now() + expiry} (the database's clock, so the
 * servers' clocks do not matter), then deletes every server whose row expired, with its sessions,
 * the memberships of users left without a session and old stored messages. A server that dies
 * therefore stops counting as online after at most {@code expiry} (online queries ignore expired
 * rows) and its users leave their groups at most {@code period} later.
 *
 * <p>If its own row is gone, another server declared this one dead (it stalled longer than {@code
 * expiry}): it tells the cluster, which logs out every local session, and registers again.
 *
 * <p>It has its own connection and thread, so a backlog of messages never delays a heartbeat.
 */
final class Heartbeat implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(Heartbeat.class);

  /** How long a message too long for a NOTIFY stays in the table. */
  static final Duration KEEP_MESSAGES = Duration.ofMinutes(5);

  private final SqlWorker.Connector connector;
  private final String serverId;
  private final String serverName;
  private final Duration period;
  private final Duration expiry;
  private final Runnable fenced;
  private final ScheduledExecutorService timer;
  private @Nullable Connection connection; // Confined to the timer's thread.
  private volatile boolean paused;

  Heartbeat(
      SqlWorker.Connector connector,
      String serverId,
      String serverName,
      Duration period,
      Duration expiry,
      Runnable fenced) {
    this.connector = connector;
    this.serverId = serverId;
    this.serverName = serverName;
    this.period = period;
    this.expiry = expiry;
    this.fenced = fenced;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread t = new Thread(task, "pb4j-chat-cluster-heartbeat-" + serverName);
              t.setDaemon(true);
              return t;
            });
  }

  void start() {
    timer.scheduleWithFixedDelay(this::beat, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops (or resumes) beating, as a frozen process would: for tests. */
  void pause(boolean pause) {
    paused = pause;
  }

  private void beat() {
    if (paused) {
      return;
    }
    try {
      Connection c = connection();
      if (!ClusterStore.heartbeat(c, serverId, expiry)) {
        logger.warn(
            "{} was declared dead by the cluster (no heartbeat for {} s): "
                + "logging out its sessions and joining again",
            serverName,
            expiry.toSeconds());
        fenced.run();
        ClusterStore.registerServer(c, serverId, serverName, expiry);
      }
      List<String> dead = ClusterStore.reap(c, KEEP_MESSAGES);
      for (String name : dead) {
        logger.info("server {} stopped its heartbeat: its users are offline", name);
      }
    } catch (SQLException | RuntimeException e) {
      logger.warn("chat cluster heartbeat failed: {}", e.toString());
      disconnect();
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

  private void disconnect() {
    Connection c = connection;
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
    timer.shutdown();
    try {
      if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    }
    disconnect();
  }
}
