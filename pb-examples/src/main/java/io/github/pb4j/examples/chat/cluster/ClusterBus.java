package io.github.pb4j.examples.chat.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server's ear on the cluster: a dedicated connection that {@code LISTEN}s on {@link
 * ClusterSchema#CHANNEL} and a thread that waits for notifications ({@code
 * PGConnection.getNotifications(timeout)}) and acts on them in the order they come.
 *
 * <p>It keeps a mirror of every group's members, loaded after {@code LISTEN} and then changed by
 * the join and leave events. Because membership changes and messages arrive in one stream in commit
 * order, a message reaches exactly the members the group had when the message was committed, on
 * every server. Replaying events the loaded mirror already reflects is harmless: each sets one
 * membership to present or absent, in order.
 *
 * <p>Each message is delivered once. Its key is its sending server and a counter that the server
 * takes on its one database thread, which commits its messages one after another, so the counters
 * of one server arrive in increasing order: a message whose counter is not above the last one
 * delivered from its server is a repeat and is dropped. That costs one entry per server that ever
 * sent, whatever the traffic. If the connection fails the thread reconnects, listens and reloads
 * the mirror; messages notified meanwhile are lost to this server (at most once).
 *
 * <p><em>Thread-safe:</em> the mirror is confined to the listening thread.
 */
final class ClusterBus implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(ClusterBus.class);

  private static final int POLL_MILLIS = 250;

  /** Where the bus hands messages for local sessions. */
  interface Recipients {
    /** Delivers {@code line} to every local session of {@code username}. */
    void deliver(String username, String line);
  }

  private final SqlWorker.Connector connector;
  private final Recipients recipients;
  private final Thread thread;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();

  // Confined to the thread.
  private final Map<String, Set<String>> members = new HashMap<>();
  private final Map<String, Long> lastDelivered = new HashMap<>(); // By sending server.
  private @Nullable Connection connection;

  ClusterBus(SqlWorker.Connector connector, Recipients recipients, String serverName) {
    this.connector = connector;
    this.recipients = recipients;
    this.thread = new Thread(this::run, "pb4j-chat-cluster-listen-" + serverName);
    this.thread.setDaemon(true);
  }

  /** Starts listening; the future completes once the mirror is loaded. */
  CompletableFuture<Void> start() {
    thread.start();
    return ready;
  }

  /** Lines handed to local sessions so far (one per recipient username). */
  long delivered() {
    return delivered.get();
  }

  /** Messages that arrived twice and were dropped. */
  long duplicates() {
    return duplicates.get();
  }

  private void run() {
    boolean first = true;
    while (closing.getCount() > 0) {
      try {
        if (connection == null) {
          connect();
          if (!first) {
            logger.warn("listening to the chat cluster again; messages meanwhile were lost here");
          }
          first = false;
          ready.complete(null);
        }
        PGNotification[] notifications =
            connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
        if (notifications != null) {
          for (PGNotification n : notifications) {
            handle(n.getParameter());
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closing.getCount() == 0) {
          break;
        }
        logger.warn("the chat cluster's listening connection failed: {}", e.toString());
        disconnect();
        if (first && !ready.isDone()) {
          ready.completeExceptionally(
              new ChatClusterException("cannot listen to the chat cluster", e));
        }
        try {
          if (closing.await(1, TimeUnit.SECONDS)) {
            break;
          }
        } catch (InterruptedException interrupted) {
          break;
        }
      }
    }
    disconnect();
  }

  private void connect() throws SQLException {
    Connection c = connector.connect();
    connection = c;
    try (Statement s = c.createStatement()) {
      s.execute("LISTEN " + ClusterSchema.CHANNEL);
    }
    List<String> all = ClusterStore.memberships(c);
    members.clear();
    for (int i = 0; i < all.size(); i += 2) {
      members.computeIfAbsent(all.get(i), g -> new LinkedHashSet<>()).add(all.get(i + 1));
    }
  }

  private void handle(String payload) throws SQLException {
    ClusterEvent event = ClusterEvent.parse(payload);
    if (event == null) {
      logger.warn("ignored a notification that is not the chat cluster's");
      return;
    }
    switch (event.kind()) {
      case 'j' -> members.computeIfAbsent(event.a(), g -> new LinkedHashSet<>()).add(event.b());
      case 'l' -> {
        Set<String> group = members.get(event.a());
        if (group != null && group.remove(event.b()) && group.isEmpty()) {
          members.remove(event.a());
        }
      }
      case 'm' -> deliver(event);
      case 'M' -> {
        ClusterEvent stored = ClusterStore.storedMessage(connection, Long.parseLong(event.a()));
        if (stored == null) {
          logger.warn("a long message was deleted before this server read it");
        } else {
          deliver(stored);
        }
      }
      default -> throw new IllegalStateException("event " + event.kind());
    }
  }

  private void deliver(ClusterEvent message) {
    String key = message.a();
    int colon = key.lastIndexOf(':');
    long counter;
    try {
      counter = Long.parseLong(key.substring(colon + 1));
    } catch (NumberFormatException e) {
      logger.warn("ignored a message without a valid key");
      return;
    }
    String origin = key.substring(0, Math.max(colon, 0));
    Long last = lastDelivered.get(origin);
    if (last != null && counter <= last) {
      duplicates.incrementAndGet();
      return;
    }
    lastDelivered.put(origin, counter);
    Set<String> group = members.get(message.b());
    if (group == null) {
      return;
    }
    for (String username : group) {
      recipients.deliver(username, message.c());
      delivered.incrementAndGet();
    }
  }

  private void disconnect() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        logger.debug("closing the listening connection failed", e);
      }
    }
  }

  @Override
  public void close() {
    closing.countDown();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
