package io.github.pb4j.netty;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.LoginFailedException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A login that outlives its connections: connects, logs in (or fetches the root object), holds the
 * avatar reference for the program, and when the connection drops, reconnects with exponential
 * backoff and logs in again with the same mind. What Twisted programs write by hand with {@code
 * ReconnectingClientFactory} (Buildbot's {@code AutoLoginPBFactory}).
 *
 * <pre>{@code
 * PbSession session = PbSession.builder().host("chat.example").port(8800)
 *     .login(UsernamePassword.of("alice", password), mind)
 *     .listener(listener) // onAttached(perspective), onDetached(reason), ...
 *     .build()
 *     .start();
 * session.attached().get(30, TimeUnit.SECONDS);
 * session.callRemote("groups").thenAccept(System.out::println);
 * }</pre>
 *
 * <p>docs/sessions.md has a complete example and the lifecycle.
 *
 * <p>The session is <em>attached</em> while it has a logged-in connection, <em>detached</em>
 * otherwise. While detached, {@link #callRemote} and {@link #perspective()} fail at once with
 * {@link NotAttachedException}; calls already sent when a connection drops fail with {@link
 * ConnectionLostException}. Each attachment is a new connection with a new perspective reference:
 * references obtained through an earlier one are dead, and the server sees a new login.
 *
 * <p>A network fault (refused connection, timeout, lost or dead connection) leads to another
 * attempt after a delay that grows from {@link Builder#initialDelay} by {@link Builder#multiplier}
 * up to {@link Builder#maxDelay}, less a random {@link Builder#jitter}, and starts again from the
 * initial delay after each attachment. A login the server refuses ({@link LoginFailedException}:
 * wrong password, unhandled credentials, denied) is not a network fault: the session stops for
 * good, {@link #attached()} and {@link #stopped()} fail with it and listeners hear {@link
 * Listener#onStopped}. {@link #close()} stops it for good as well.
 *
 * <p>Timers and listeners run on the session's event loop (no thread of its own): listeners must
 * not block. Futures complete on event loops too.
 *
 * <p><em>Thread-safe.</em>
 */
public final class PbSession implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(PbSession.class);

  /**
   * What a session tells the program, on the session's event loop, in order, one call at a time.
   * Every method does nothing by default. A listener that throws is logged; the session goes on.
   */
  public interface Listener {
    /**
     * The session is attached: {@code perspective} is the avatar reference of a new login (or the
     * root object of a session without login). Runs once per connection.
     */
    default void onAttached(RemoteReference perspective) {}

    /**
     * The session was attached and is not any more: the connection was lost ({@link
     * ConnectionLostException}) or the session closed ({@link NotAttachedException}). Runs once
     * per {@link #onAttached}.
     */
    default void onDetached(Throwable reason) {}

    /** An attempt to attach failed with a network fault; the next one starts in {@code retryIn}. */
    default void onAttemptFailed(Throwable reason, Duration retryIn) {}

    /**
     * The session stopped for good: {@code failure} is the refused login, or null when the program
     * closed it. Runs once, after {@link #onDetached} if the session was attached.
     */
    default void onStopped(@Nullable Throwable failure) {}
  }

  private enum State {
    NEW,
    CONNECTING,
    ATTACHED,
    WAITING,
    STOPPED
  }

  private final SessionSettings settings;

  SessionSettings settings() {
    return settings;
  }
  private final EventLoops loops;
  private final EventLoop loop;
  private final CompletableFuture<@Nullable Void> stopped = new CompletableFuture<>();
  private final CompletableFuture<@Nullable Void> released = new CompletableFuture<>();

  // Confined to the loop.
  private State state = State.NEW;
  private long generation;
  private int retries;
  private @Nullable PbClient client;
  private @Nullable ScheduledFuture<?> timer;
  private CompletableFuture<RemoteReference> nextAttachment = new CompletableFuture<>();

  // Read from any thread.
  private volatile @Nullable RemoteReference perspective;
  private volatile @Nullable Throwable lastFailure;
  private volatile @Nullable Throwable stopFailure;
  private volatile boolean closed;

  private PbSession(SessionSettings settings) {
    this.settings = settings;
    this.loops = EventLoops.of(settings.group(), 1, "pb-session", true);
    this.loop = loops.group.next();
  }

  /** Returns a builder; by default the session connects to {@code localhost:8787} without login. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts the first attempt, if not started yet; returns this session. */
  public PbSession start() {
    onLoop(() -> {
      if (state == State.NEW) {
        attempt();
      }
    });
    return this;
  }

  /**
   * Returns a future of the perspective: complete now if the session is attached, else at the
   * next attachment. Fails with the refused login if the session stops for that, or with {@link
   * NotAttachedException} if it is closed first.
   */
  public CompletableFuture<RemoteReference> attached() {
    Throwable refused = stopFailure;
    if (refused != null) {
      return CompletableFuture.failedFuture(refused);
    }
    if (closed) {
      return CompletableFuture.failedFuture(notAttached());
    }
    CompletableFuture<RemoteReference> result = new CompletableFuture<>();
    if (!onLoop(() -> nextAttachment.whenComplete((r, e) -> SessionSettings.complete(result, r, e)))) {
      result.completeExceptionally(notAttached());
    }
    return result;
  }

  /** Returns true while the session is attached. */
  public boolean isAttached() {
    RemoteReference p = perspective;
    return p != null && p.isConnected();
  }

  /**
   * Returns the perspective of the current attachment.
   *
   * @throws NotAttachedException if the session is not attached now
   */
  public RemoteReference perspective() {
    RemoteReference p = perspective;
    if (p == null) {
      throw notAttached();
    }
    return p;
  }

  /** Returns the perspective of the current attachment, or empty while detached. */
  public Optional<RemoteReference> currentPerspective() {
    return Optional.ofNullable(perspective);
  }

  /**
   * Calls {@code method} on the current perspective ({@link RemoteReference#callRemote(String,
   * Object...)}); fails at once with {@link NotAttachedException} while detached.
   */
  public CompletableFuture<@Nullable Object> callRemote(String method, @Nullable Object... args) {
    RemoteReference p = perspective;
    return p == null ? CompletableFuture.failedFuture(notAttached()) : p.callRemote(method, args);
  }

  /** As {@link RemoteReference#callRemoteWithKeywords}, on the current perspective. */
  public CompletableFuture<@Nullable Object> callRemoteWithKeywords(
      String method, List<?> args, Map<String, ?> kwargs) {
    RemoteReference p = perspective;
    return p == null
        ? CompletableFuture.failedFuture(notAttached())
        : p.callRemoteWithKeywords(method, args, kwargs);
  }

  /**
   * As {@link RemoteReference#callRemote(Class, String, Object...)}, on the current perspective.
   */
  public <T> CompletableFuture<T> callRemote(
      Class<T> resultType, String method, @Nullable Object... args) {
    RemoteReference p = perspective;
    return p == null
        ? CompletableFuture.failedFuture(notAttached())
        : p.callRemote(resultType, method, args);
  }

  /**
   * Returns a future that completes when the session has stopped for good and released its
   * connection: normally after {@link #close()}, exceptionally with the refused login.
   */
  public CompletableFuture<@Nullable Void> stopped() {
    return stopped.copy();
  }

  private NotAttachedException notAttached() {
    Throwable failure = stopFailure;
    if (failure != null) {
      return new NotAttachedException("session stopped: login refused: " + failure, failure);
    }
    if (closed) {
      return new NotAttachedException("session closed", null);
    }
    Throwable last = lastFailure;
    return new NotAttachedException(
        "session to " + settings.host() + ":" + settings.port() + " is not attached (reconnecting"
            + (last == null ? ")" : "; last failure: " + last.getMessage() + ")"),
        last);
  }

  // ---------------------------------------------------------------- the state machine, on the loop

  private void attempt() {
    if (state == State.STOPPED) {
      return;
    }
    long attempt = ++generation;
    state = State.CONNECTING;
    PbClient c;
    try {
      c = settings.newClient(loops.group);
    } catch (RuntimeException e) {
      stop(e);
      return;
    }
    client = c;
    logger.debug("session to {}:{}: connecting", settings.host(), settings.port());
    CompletableFuture<RemoteReference> f = settings.attach(c);
    timer = loop.schedule(
        () -> attemptDone(attempt, c, null, new TimeoutException(
            "not attached within " + settings.attachTimeout().toMillis() + " ms")),
        settings.attachTimeout().toNanos(), TimeUnit.NANOSECONDS);
    f.whenComplete((ref, e) -> {
      if (!onLoop(() -> attemptDone(attempt, c, ref, e))) {
        c.closeAsync();
      }
    });
  }

  private void attemptDone(
      long attempt, PbClient c, @Nullable RemoteReference ref, @Nullable Throwable error) {
    if (attempt != generation || state != State.CONNECTING) {
      return; // a late outcome of an attempt given up (timed out, closed): its client is closed
    }
    cancelTimer();
    if (error != null || ref == null) {
      c.closeAsync();
      Throwable cause = SessionSettings.unwrap(error != null ? error : new IllegalStateException("no perspective"));
      if (cause instanceof LoginFailedException refused) {
        logger.info("session to {}:{}: login refused ({}); not retrying",
            settings.host(), settings.port(), refused.toString());
        stop(refused);
        return;
      }
      lastFailure = cause;
      Duration delay = scheduleRetry();
      logger.info("session to {}:{}: attempt failed ({}); next in {} ms",
          settings.host(), settings.port(), cause.toString(), delay.toMillis());
      tell(l -> l.onAttemptFailed(cause, delay), "onAttemptFailed");
      return;
    }
    state = State.ATTACHED;
    retries = 0;
    lastFailure = null;
    perspective = ref;
    logger.info("session to {}:{}: attached", settings.host(), settings.port());
    ref.broker().notifyOnDisconnect(() -> onLoop(() -> lost(attempt, c)));
    tell(l -> l.onAttached(ref), "onAttached");
    nextAttachment.complete(ref);
  }

  private void lost(long attempt, PbClient c) {
    if (attempt != generation || state != State.ATTACHED) {
      return;
    }
    ConnectionLostException reason = new ConnectionLostException(
        "connection to " + settings.host() + ":" + settings.port() + " lost", null);
    perspective = null;
    lastFailure = reason;
    nextAttachment = new CompletableFuture<>();
    c.closeAsync();
    Duration delay = scheduleRetry();
    logger.info("session to {}:{}: connection lost; reconnecting in {} ms",
        settings.host(), settings.port(), delay.toMillis());
    tell(l -> l.onDetached(reason), "onDetached");
  }

  private Duration scheduleRetry() {
    state = State.WAITING;
    client = null;
    Duration delay = settings.backoff().delay(retries, ThreadLocalRandom.current().nextDouble());
    if (retries < Integer.MAX_VALUE) {
      retries++;
    }
    timer = loop.schedule(this::attempt, delay.toNanos(), TimeUnit.NANOSECONDS);
    return delay;
  }

  /** Stops for good; {@code failure} is the refused login, or null for a close. */
  private void stop(@Nullable Throwable failure) {
    if (state == State.STOPPED) {
      return;
    }
    boolean wasAttached = state == State.ATTACHED;
    state = State.STOPPED;
    generation++;
    cancelTimer();
    perspective = null;
    if (failure != null) {
      stopFailure = failure;
    } else {
      closed = true;
    }
    NotAttachedException closedReason = new NotAttachedException("session closed", null);
    if (nextAttachment.isDone()) {
      nextAttachment = new CompletableFuture<>();
    }
    nextAttachment.completeExceptionally(failure != null ? failure : closedReason);
    PbClient c = client;
    client = null;
    if (wasAttached) {
      tell(l -> l.onDetached(closedReason), "onDetached");
    }
    tell(l -> l.onStopped(failure), "onStopped");
    CompletableFuture<@Nullable Void> clientClosed =
        c != null ? c.closeAsync() : CompletableFuture.completedFuture(null);
    clientClosed
        .thenCompose(v -> loops.shutDown())
        .whenComplete((v, e) -> {
          released.complete(null);
          if (failure != null) {
            stopped.completeExceptionally(failure);
          } else {
            stopped.complete(null);
          }
        });
  }

  private void cancelTimer() {
    ScheduledFuture<?> t = timer;
    timer = null;
    if (t != null) {
      t.cancel(false);
    }
  }

  /** Tells every listener, in order; what a listener throws is logged. */
  private void tell(Consumer<Listener> call, String what) {
    for (Listener l : settings.listeners()) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        logger.warn("session to {}:{}: listener {} threw", settings.host(), settings.port(), what, e);
      }
    }
  }

  /** Runs {@code task} on the session's loop; returns false if the loop is gone. */
  private boolean onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
      return true;
    }
    try {
      loop.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- closing

  /**
   * Stops the session for good: no more attempts, the connection is closed (pending calls fail
   * with {@link ConnectionLostException}, the server logs the user out), and later calls fail with
   * {@link NotAttachedException}. Idempotent. The future completes when the connection and the
   * session's event loop (if it made one) are released.
   */
  public CompletableFuture<@Nullable Void> closeAsync() {
    if (!onLoop(() -> stop(null))) {
      released.complete(null);
    }
    return released.copy();
  }

  /**
   * Closes as {@link #closeAsync()} does and waits up to 10 seconds for it.
   *
   * @throws IllegalStateException if called on the session's event loop, where waiting would
   *     deadlock: the close is started, but use {@link #closeAsync} there
   */
  @Override
  public void close() {
    loops.closeAndWait(this::closeAsync, "session", logger, "pb session did not close cleanly");
  }

  @Override
  public String toString() {
    return "PbSession[" + settings.host() + ":" + settings.port()
        + (perspective != null ? ", attached" : closed || stopFailure != null ? ", stopped" : "")
        + "]";
  }

  // ---------------------------------------------------------------- configuration

  /** Builds a {@link PbSession}. <em>Not thread-safe.</em> */
  public static final class Builder {
    private String host = "localhost";
    private int port = PbServer.DEFAULT_PORT;
    private BrokerOptions options = SessionSettings.DEFAULT_OPTIONS;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration attachTimeout = Duration.ofSeconds(60);
    private @Nullable EventLoopGroup group;
    private @Nullable SslContext sslContext;
    private boolean verifyHostname = true;
    private @Nullable Credentials credentials;
    private @Nullable Object mind;
    private boolean certificateLogin;
    private Duration initialDelay = Duration.ofSeconds(1);
    private Duration maxDelay = Duration.ofSeconds(60);
    private double multiplier = 2.0;
    private double jitter = 0.2;
    private final List<Listener> listeners = new ArrayList<>();
    private @Nullable Consumer<PbClient.Builder> clientSettings;

    private Builder() {}

    /** Sets the server's host name or IP literal. Default {@code localhost}. */
    public Builder host(String host) {
      this.host = BuilderChecks.host(host);
      return this;
    }

    /** Sets the server's port. Default {@value PbServer#DEFAULT_PORT}. */
    public Builder port(int port) {
      this.port = BuilderChecks.port(port, 1);
      return this;
    }

    /**
     * Sets the options of each connection. Default {@link BrokerOptions#DEFAULT} with the client
     * probe on ({@link io.github.pb4j.PeerProbe#SERVER_DEFAULT}: 60 s of silence, then 30 s for an
     * answer), so that a server that vanished without closing is noticed and the session
     * reconnects; options given here are used as they are.
     */
    public Builder options(BrokerOptions options) {
      this.options = BuilderChecks.options(options);
      return this;
    }

    /** Sets how long establishing each TCP connection may take. Default 30 seconds. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = BuilderChecks.positive("connectTimeout", timeout);
      return this;
    }

    /**
     * Sets how long one attempt (connection, handshake and login) may take before it is given up
     * and retried, so that a server that accepts connections but never answers does not stall the
     * session. Default 60 seconds.
     */
    public Builder attachTimeout(Duration timeout) {
      this.attachTimeout = BuilderChecks.positive("attachTimeout", timeout);
      return this;
    }

    /**
     * Logs in with {@code credentials} ({@code UsernamePassword} or {@code Anonymous}) and no mind.
     * Without a login, the session's perspective is the server's root object.
     */
    public Builder login(Credentials credentials) {
      return login(credentials, null);
    }

    /**
     * Logs in with {@code credentials}, offering {@code mind} (the object the avatar calls back,
     * or null) at every login.
     */
    public Builder login(Credentials credentials, io.github.pb4j.@Nullable Referenceable mind) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      this.mind = mind;
      this.certificateLogin = false;
      return this;
    }

    /**
     * Logs in with the client certificate of the TLS context ({@link #sslContext}), offering
     * {@code mind} at every login: see {@link io.github.pb4j.PbLogin#loginWithCertificate}.
     */
    public Builder loginWithCertificate(io.github.pb4j.@Nullable Referenceable mind) {
      this.credentials = null;
      this.mind = mind;
      this.certificateLogin = true;
      return this;
    }

    /** Sets the first delay before reconnecting. Default 1 second. */
    public Builder initialDelay(Duration delay) {
      this.initialDelay = BuilderChecks.positive("initialDelay", delay);
      return this;
    }

    /** Sets the longest delay between attempts. Default 60 seconds. */
    public Builder maxDelay(Duration delay) {
      this.maxDelay = BuilderChecks.positive("maxDelay", delay);
      return this;
    }

    /** Sets the factor by which the delay grows after each failed attempt (>= 1). Default 2. */
    public Builder multiplier(double multiplier) {
      this.multiplier = multiplier;
      return this;
    }

    /**
     * Sets the part of each delay that is random (0..1): a delay of {@code d} becomes one between
     * {@code (1 - jitter) * d} and {@code d}. Default 0.2.
     */
    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    /** Adds a listener; listeners are told in the order they were added. */
    public Builder listener(Listener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Runs the session (timers and connections) on an existing event loop group, which closing the
     * session leaves running. By default the session makes one event loop thread.
     */
    public Builder eventLoopGroup(EventLoopGroup group) {
      this.group = BuilderChecks.eventLoopGroup(group);
      return this;
    }

    /**
     * Connects over TLS with {@code sslContext}, a client context (see {@link
     * PbClient.Builder#sslContext}).
     */
    public Builder sslContext(SslContext sslContext) {
      this.sslContext = BuilderChecks.sslContext(sslContext, false);
      return this;
    }

    /** Sets whether TLS checks that the server's certificate names the host. Default true. */
    public Builder verifyHostname(boolean verify) {
      this.verifyHostname = verify;
      return this;
    }

    /**
     * Applies {@code settings} to the builder of each connection's {@link PbClient}, after the
     * session's own settings: for client settings the session has no method for.
     */
    public Builder clientSettings(Consumer<PbClient.Builder> settings) {
      this.clientSettings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Builds the session (not yet started; see {@link PbSession#start()}).
     *
     * @throws IllegalArgumentException if the backoff settings do not fit together
     */
    public PbSession build() {
      Backoff backoff = new Backoff(initialDelay, maxDelay, multiplier, jitter);
      return new PbSession(new SessionSettings(host, port, options, connectTimeout, attachTimeout,
          group, sslContext, verifyHostname, credentials, mind, certificateLogin, backoff, List.copyOf(listeners),
          clientSettings));
    }
  }
}
