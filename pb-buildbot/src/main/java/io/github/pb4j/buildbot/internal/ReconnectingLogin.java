package io.github.pb4j.buildbot.internal;

import io.github.pb4j.RemoteFailureException;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.LoginFailedException;
import io.github.pb4j.netty.PbClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A login session that lasts: connects, logs in with a mind, and when the connection is lost (or
 * cannot be made) tries again after a growing delay, Twisted's {@code backoffPolicy} (1 s × 1.5ⁿ,
 * at most 60 s, plus up to 1 s of jitter). A refused login, or a master that rejects the worker
 * as a duplicate, ends it. <em>Thread-safe.</em>
 */
public final class ReconnectingLogin {
  private static final Logger logger = LoggerFactory.getLogger(ReconnectingLogin.class);

  /** How a session ended. */
  public enum End {
    /** {@link #stop} was called. */
    STOPPED,
    /** The master refused the credentials. */
    LOGIN_REFUSED,
    /** The master already has a live connection of this worker. */
    DUPLICATE,
    /** {@code maxRetries} connection attempts in a row failed. */
    GAVE_UP
  }

  /** The outcome: how it ended, and the failure that ended it (if any). */
  public record Outcome(End end, @Nullable Throwable cause) {}

  /** Told about each logged-in connection. */
  public interface Listener {
    /** A login succeeded: {@code perspective} is the avatar reference on {@code client}. */
    void attached(PbClient client, RemoteReference perspective);

    /** That connection ended. */
    void detached(PbClient client);
  }

  private final Supplier<PbClient> clients;
  private final Credentials credentials;
  private final io.github.pb4j.Referenceable mind;
  private final int maxRetries;
  private final Duration maxDelay;
  private final Listener listener;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bb-reconnect");
    t.setDaemon(true);
    return t;
  });
  private final CompletableFuture<Outcome> ended = new CompletableFuture<>();
  private int failures; // Confined to loop.
  private volatile @Nullable PbClient current;

  /**
   * @param clients makes a new, unconnected client for each attempt
   * @param maxRetries give up after this many failed attempts in a row; 0 = never
   */
  public ReconnectingLogin(Supplier<PbClient> clients, Credentials credentials, io.github.pb4j.Referenceable mind,
      int maxRetries, Duration maxDelay, Listener listener) {
    this.clients = clients;
    this.credentials = credentials;
    this.mind = mind;
    this.maxRetries = maxRetries;
    this.maxDelay = maxDelay;
    this.listener = listener;
  }

  /** Starts connecting; the future completes when the session ends for good. */
  public CompletableFuture<Outcome> start() {
    onLoop(this::attempt);
    return ended;
  }

  /** The delay before attempt {@code n} (0 = the first retry after a lost connection). */
  static double delaySeconds(int n, double maxDelaySeconds) {
    double delay = Math.min(Math.pow(1.5, n), maxDelaySeconds);
    return delay + ThreadLocalRandom.current().nextDouble();
  }

  private void attempt() {
    if (ended.isDone()) {
      return;
    }
    PbClient client = clients.get();
    current = client;
    client.login(credentials, mind).whenCompleteAsync((perspective, error) -> {
      if (error == null) {
        loggedIn(client, perspective);
      } else {
        failed(client, unwrap(error));
      }
    }, loop);
  }

  private void loggedIn(PbClient client, RemoteReference perspective) {
    if (ended.isDone()) {
      client.closeAsync();
      return;
    }
    failures = 0;
    logger.info("Connected to buildmaster; worker is ready");
    client.broker().ifPresent(b -> b.notifyOnDisconnect(() -> onLoop(() -> lost(client))));
    listener.attached(client, perspective);
    if (!client.isConnected()) {
      lost(client);
    }
  }

  private boolean lostSeen(PbClient client) {
    return current != client;
  }

  private void lost(PbClient client) {
    if (lostSeen(client)) {
      return;
    }
    current = null;
    listener.detached(client);
    client.closeAsync();
    if (!ended.isDone()) {
      logger.info("lost the connection to the buildmaster; reconnecting");
      schedule(delaySeconds(0, maxDelay.toSeconds()));
    }
  }

  private void failed(PbClient client, Throwable cause) {
    current = null;
    client.closeAsync();
    if (ended.isDone()) {
      return;
    }
    if (cause instanceof LoginFailedException) {
      logger.error("login refused: check the worker's name and password ({})", cause.getMessage());
      finish(new Outcome(End.LOGIN_REFUSED, cause));
      return;
    }
    if (cause instanceof RemoteFailureException r && r.remoteValue().contains("duplicate")) {
      logger.error("the master rejected this worker: {}", r.remoteValue());
      finish(new Outcome(End.DUPLICATE, cause));
      return;
    }
    failures++;
    if (maxRetries > 0 && failures >= maxRetries) {
      logger.error("giving up after {} failed attempts: {}", failures, cause.toString());
      finish(new Outcome(End.GAVE_UP, cause));
      return;
    }
    double delay = delaySeconds(failures, maxDelay.toSeconds());
    logger.info("cannot reach the buildmaster ({}); retry {} in {} s", cause.getMessage(), failures,
        String.format(java.util.Locale.ROOT, "%.1f", delay));
    schedule(delay);
  }

  private void onLoop(Runnable task) {
    try {
      loop.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The session has ended.
    }
  }

  private void schedule(double seconds) {
    loop.schedule(this::attempt, (long) (seconds * 1000), TimeUnit.MILLISECONDS);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The connected client, if logged in now. */
  public @Nullable PbClient client() {
    return current;
  }

  private void finish(Outcome outcome) {
    if (ended.complete(outcome)) {
      loop.shutdown();
    }
  }

  /** Ends the session: closes the connection, stops retrying. */
  public CompletableFuture<Outcome> stop() {
    onLoop(() -> {
      PbClient c = current;
      finish(new Outcome(End.STOPPED, null));
      if (c != null) {
        current = null;
        listener.detached(c);
        c.closeAsync();
      }
    });
    return ended;
  }
}
