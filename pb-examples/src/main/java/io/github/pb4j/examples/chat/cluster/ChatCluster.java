package io.github.pb4j.examples.chat.cluster;

import io.github.pb4j.Avatar;
import io.github.pb4j.cred.CredentialsChecker;
import io.github.pb4j.cred.LoginDeniedException;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.examples.chat.ChatService;
import io.github.pb4j.examples.chat.ChatText;
import io.github.pb4j.examples.chat.RefusalLoggingChecker;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat service spread over several servers that share one PostgreSQL database: a message sent
 * to a group on one server reaches the group's members on every server. The servers never talk to
 * each other; each writes to the database and listens to it:
 *
 * <ul>
 *   <li>groups, members, sessions and servers are rows ({@link ClusterSchema}); every change to
 *       membership and every message is a {@code NOTIFY} on one channel, which every server {@code
 *       LISTEN}s to on a dedicated connection, and which delivers in commit order;
 *   <li>each server delivers a message to its own sessions of the group's members; a user logged in
 *       on two servers gets it on both;
 *   <li>each server renews a heartbeat row; a server whose row expired is buried by the others,
 *       with its sessions and the memberships of users left without one ({@link Heartbeat}).
 * </ul>
 *
 * <p>Guarantees: per sending session, messages arrive in the order sent; every server sees the same
 * order of joins, leaves and messages, so a message reaches the members the group had when it was
 * committed; no message is delivered twice to a session; a message to a server that is down, or
 * whose listening connection is re-established, is lost for that server's sessions (at most once).
 *
 * <pre>{@code
 * try (ChatCluster chat = ChatCluster.builder(url).credentials(user, password).build().start()) {
 *   PbServer server = PbServer.builder().port(8800)
 *       .rootFactory(PortalRoot.factory(chat.portal(users.checker()))).build().start();
 *   ...
 * }
 * }</pre>
 *
 * <p><em>Thread-safe.</em>
 */
public final class ChatCluster implements AutoCloseable {
  /** How often a server renews its heartbeat, by default. */
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);

  /** How long a server counts as alive after its last heartbeat, by default. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofSeconds(15);

  /** Most database requests (joins, sends, ...) one session may have unanswered. */
  public static final int MAX_IN_FLIGHT = 64;

  private static final Logger logger = LoggerFactory.getLogger(ChatService.class);

  private final SqlWorker.Connector connector;
  private final String serverId = UUID.randomUUID().toString();
  private final String serverName;
  private final Duration heartbeatPeriod;
  private final Duration expiry;
  private final int maxUnanswered;
  private final SqlWorker worker;
  private final ClusterBus bus;
  private final Heartbeat heartbeat;
  private final ClusterRequests requests;
  private final ConcurrentHashMap<String, CopyOnWriteArrayList<ClusterUser>> sessions =
      new ConcurrentHashMap<>();
  private final AtomicLong sessionIds = new AtomicLong();
  private final AtomicLong logins = new AtomicLong();
  private final AtomicLong logouts = new AtomicLong();
  private volatile int schemaVersionFound = -1;

  private ChatCluster(Builder b) {
    this.connector = new SqlWorker.Connector(b.url, b.properties());
    this.serverName = b.serverName;
    this.heartbeatPeriod = b.heartbeat;
    this.expiry = b.expiry;
    this.maxUnanswered = b.maxUnanswered;
    this.worker = new SqlWorker(connector, "pb4j-chat-cluster-db-" + serverName);
    this.requests = new ClusterRequests(worker, serverId);
    this.bus = new ClusterBus(connector, this::deliver, serverName);
    this.heartbeat =
        new Heartbeat(connector, serverId, serverName, heartbeatPeriod, expiry, this::fence);
  }

  /** Returns a builder for a cluster whose database is at {@code jdbcUrl} (PostgreSQL). */
  public static Builder builder(String jdbcUrl) {
    return new Builder(jdbcUrl);
  }

  /**
   * Joins the cluster: creates or migrates the schema if needed, registers this server, listens,
   * starts the heartbeat. Blocks until done.
   *
   * @throws ChatClusterException if the database cannot be reached or its schema is newer
   */
  public ChatCluster start() {
    try {
      schemaVersionFound =
          worker.submit(c -> ClusterSchema.migrate(c, serverName)).get(60, TimeUnit.SECONDS);
      worker
          .submit(
              c -> {
                ClusterStore.registerServer(c, serverId, serverName, expiry);
                return null;
              })
          .get(30, TimeUnit.SECONDS);
      bus.start().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      close();
      Throwable cause = e.getCause();
      if (cause instanceof ChatClusterException cce) {
        throw cce;
      }
      throw new ChatClusterException("cannot join the chat cluster: " + cause, cause);
    } catch (TimeoutException e) {
      close();
      throw new ChatClusterException("the chat cluster's database did not answer in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new ChatClusterException("interrupted while joining the chat cluster", e);
    }
    heartbeat.start();
    logger.info(
        "{} joined the chat cluster (heartbeat every {} s, dead after {} s)",
        serverName,
        heartbeatPeriod.toSeconds(),
        expiry.toSeconds());
    return this;
  }

  /** Returns the realm that hands out this server's {@link ClusterUser}s. */
  public Realm realm() {
    return (avatarId, mind, interfaces) -> {
      if (!List.of(interfaces).contains(Avatar.class)) {
        return CompletableFuture.failedFuture(
            new UnsupportedOperationException("ChatCluster only hands out Avatars"));
      }
      if (avatarId.isAnonymous()) {
        return CompletableFuture.failedFuture(
            new LoginDeniedException("anonymous users cannot chat"));
      }
      if (!storable(avatarId.username())) {
        // Line feeds separate notification fields, and PostgreSQL text holds no NUL.
        return CompletableFuture.failedFuture(
            new LoginDeniedException("this username cannot chat: it has control characters"));
      }
      return attach(avatarId.username(), mind).thenApply(result -> result);
    };
  }

  /**
   * Returns a portal to {@link #realm()} checking passwords with {@code checker} (and other
   * credentials, such as client certificates, with {@code more}); refusals are logged.
   */
  public Portal portal(CredentialsChecker checker, CredentialsChecker... more) {
    Portal.Builder builder =
        Portal.builder().realm(realm()).checker(new RefusalLoggingChecker(checker));
    for (CredentialsChecker c : more) {
      builder.checker(new RefusalLoggingChecker(c));
    }
    return builder.build();
  }

  /** Returns this server's name in the cluster (in logs and {@code pb4j_chat_servers}). */
  public String serverName() {
    return serverName;
  }

  /** Returns the users with a session on a live server of the cluster, sorted. */
  public CompletableFuture<List<String>> onlineUsers() {
    return worker.submit(ClusterStore::onlineUsers);
  }

  /** Returns the names of the groups that have members, on any server, sorted. */
  public CompletableFuture<List<String>> groupNames() {
    return worker.submit(ClusterStore::groupNames);
  }

  /** The schema version this server found when it started: 0 if it created the schema. */
  int schemaVersionFound() {
    return schemaVersionFound;
  }

  /** Sessions logged in on this server now. */
  int localSessions() {
    return sessions.values().stream().mapToInt(List::size).sum();
  }

  long logins() {
    return logins.get();
  }

  long logouts() {
    return logouts.get();
  }

  ClusterBus bus() {
    return bus;
  }

  /** Stops the heartbeat as if this process froze: the others declare it dead. For tests. */
  void freezeForTest() {
    heartbeat.pause(true);
  }

  void thawForTest() {
    heartbeat.pause(false);
  }

  /** Completes once the database work submitted so far is done. */
  CompletableFuture<Void> idle() {
    return worker.submit(c -> null);
  }

  private CompletableFuture<LoginResult<Avatar>> attach(String name, @Nullable Object mind) {
    var user = new ClusterUser(name, sessionIds.incrementAndGet(), mind, maxUnanswered, requests);
    sessions.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(user);
    CompletableFuture<Void> added =
        worker.submit(
            c -> {
              ClusterStore.addSession(c, serverId, user.sessionId(), name);
              return null;
            });
    return requests
        .guard(added)
        .handle(
            (ignored, failure) -> {
              if (failure != null) {
                removeLocal(user);
                throw new CompletionException(failure);
              }
              logins.incrementAndGet();
              int here = sessions.getOrDefault(name, new CopyOnWriteArrayList<>()).size();
              logger.info(
                  "{} logged in ({} session{} here)", user.shownName(), here, here == 1 ? "" : "s");
              return new LoginResult<>(Avatar.class, user, () -> detach(user));
            });
  }

  private void detach(ClusterUser user) {
    if (!logOutLocally(user)) {
      return;
    }
    worker
        .submit(c -> ClusterStore.removeSession(c, serverId, user.sessionId()))
        .whenComplete(
            (left, failure) -> {
              if (failure != null) {
                logger.warn(
                    "could not end {}'s session in the database (the heartbeat will): {}",
                    user.shownName(),
                    failure.toString());
                return;
              }
              for (String group : left) {
                logger.info("{} left {} (disconnected)", user.shownName(), group);
              }
              logger.info("{} logged out", user.shownName());
            });
  }

  /** Marks the session logged out and forgets it here; returns false if it already was. */
  private boolean logOutLocally(ClusterUser user) {
    synchronized (user) {
      if (!user.loggedIn) {
        return false;
      }
      user.loggedIn = false;
    }
    removeLocal(user);
    logouts.incrementAndGet();
    return true;
  }

  private void removeLocal(ClusterUser user) {
    sessions.computeIfPresent(
        user.name(), (n, list) -> list.remove(user) && list.isEmpty() ? null : list);
  }

  /** The cluster declared this server dead and deleted its sessions: log every session out. */
  private void fence() {
    for (List<ClusterUser> list : sessions.values()) {
      for (ClusterUser user : list) {
        if (logOutLocally(user) && user.mind != null) {
          user.mind.broker().close();
        }
      }
    }
  }

  /** Called by the bus, on its thread, for each recipient of a message. */
  private void deliver(String username, String line) {
    List<ClusterUser> list = sessions.get(username);
    if (list == null) {
      return;
    }
    for (ClusterUser user : list) {
      if (user.loggedIn && user.delivery != null) {
        user.delivery.deliver(line);
      }
    }
  }

  private static boolean storable(String username) {
    return !username.isEmpty()
        && username.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f)
        && username.codePoints().noneMatch(cp -> cp >= 0xd800 && cp <= 0xdfff);
  }

  /**
   * Leaves the cluster: stops the heartbeat and listening, deletes this server's row (its sessions
   * go with it, and users left without a session leave their groups). Close the PB server first, so
   * that its sessions log out.
   */
  @Override
  public void close() {
    heartbeat.close();
    try {
      worker
          .submit(
              c -> {
                ClusterStore.unregisterServer(c, serverId);
                return null;
              })
          .get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      logger.warn(
          "could not leave the chat cluster cleanly (the heartbeat of others will): {}",
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    bus.close();
    worker.close();
  }

  /** Builds a {@link ChatCluster}. */
  public static final class Builder {
    private final String url;
    private @Nullable String user;
    private @Nullable String password;
    private Duration heartbeat = DEFAULT_HEARTBEAT;
    private Duration expiry = DEFAULT_EXPIRY;
    private int maxUnanswered = ChatService.MAX_UNANSWERED;
    private String serverName = defaultServerName();

    private Builder(String url) {
      if (!url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "the chat cluster needs PostgreSQL (expected: jdbc:postgresql:...), got "
                + url.split("[?;]", 2)[0]);
      }
      this.url = url;
    }

    /** Sets the database user and password (null for the URL's or the driver's default). */
    public Builder credentials(@Nullable String user, @Nullable String password) {
      this.user = user;
      this.password = password;
      return this;
    }

    /**
     * Sets how often this server renews its heartbeat and after how long without one the others
     * declare it dead (default 5 s and 15 s); {@code expiry} must be at least twice {@code period}.
     */
    public Builder heartbeat(Duration period, Duration expiry) {
      if (period.toMillis() < 10 || expiry.compareTo(period.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException(
            "heartbeat " + period + ", expiry " + expiry + " (expected: expiry >= 2 * heartbeat)");
      }
      this.heartbeat = period;
      this.expiry = expiry;
      return this;
    }

    /** Sets the name of this server in logs and in the servers table (default: host-pid). */
    public Builder serverName(String name) {
      if (name.isEmpty() || name.length() > 200 || !ChatText.isNeutral(name)) {
        throw new IllegalArgumentException("server name: " + ChatText.neutralise(name));
      }
      this.serverName = name;
      return this;
    }

    /**
     * Sets how many messages one session may leave unanswered (default {@link
     * ChatService#MAX_UNANSWERED}).
     */
    public Builder maxUnanswered(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxUnanswered: " + max + " (expected: >= 1)");
      }
      this.maxUnanswered = max;
      return this;
    }

    /** Builds the cluster member; {@link ChatCluster#start()} joins it. */
    public ChatCluster build() {
      return new ChatCluster(this);
    }

    private Properties properties() {
      var p = new Properties();
      if (user != null) {
        p.setProperty("user", user);
      }
      if (password != null) {
        p.setProperty("password", password);
      }
      p.setProperty("ApplicationName", "pb4j chat " + serverName);
      return p;
    }

    private static String defaultServerName() {
      String host = System.getenv("HOSTNAME");
      if (host == null || host.isBlank() || !ChatText.isNeutral(host)) {
        host = "server";
      }
      return host + "-" + ProcessHandle.current().pid();
    }
  }
}
