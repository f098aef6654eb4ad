package io.github.pb4j;

import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.Unjellier;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PB's per-connection engine: dialect negotiation, the tables of objects each side handed the
 * other, calls, answers and reference counts. Java form of Twisted's {@code pb.Broker}.
 *
 * <p>Transport-agnostic: the transport hands it bytes with {@link #receive}, reports the end with
 * {@link #connectionLost}, and the broker writes through a {@link MessageSink}. Made by {@code
 * PbServer} / {@code PbClient}; tests join two brokers in memory.
 *
 * <p>Inside, a {@code MessageReader} turns bytes into events that the broker handles, a {@code
 * MessageWriter} turns messages into bytes, and the calls each way, the references held and the
 * flavours are classes of their own; docs/architecture.md draws the picture.
 *
 * <p><em>Thread-safe</em> for its public methods, which hop onto the connection's executor; all
 * state is confined to that executor, as Twisted's reactor confines it to one thread.
 */
public final class Broker {
  private static final Logger logger = LoggerFactory.getLogger(Broker.class);
  private static final AtomicLong CONNECTION_IDS = new AtomicLong();

  private enum State {
    AWAITING_DIALECT,
    OPEN,
    CLOSED
  }

  private final long id;
  /** The id as text, for the MDC (see {@link LogContext}). */
  final String idText;
  private final boolean server;
  private final BrokerOptions options;
  private final MessageSink sink;
  private final EventExecutor executor;

  /** Confined to the executor; {@link #closed} mirrors CLOSED for other threads. */
  private State state = State.AWAITING_DIALECT;
  /** True once {@link #state} is CLOSED: for {@link #isWritable} and {@link #isConnected}. */
  private volatile boolean closed;
  private boolean lostHandled;
  private @Nullable Throwable closeCause;
  private PbObserver.@Nullable CloseReason closeReason;
  final PbObserver observer;
  /** The avatar id of the last login on this connection, for logs; null before. */
  volatile @Nullable String avatar;
  private @Nullable String peerText;
  private final Executor loggingExecutor = task -> executor().execute(() -> LogContext.run(this, task));

  // Package-private: tests read the tables' sizes through BrokerTestAccess, on the executor.
  final ExportTable exports;
  final ImportTable imports = new ImportTable();
  final CacheTables caches;
  private final Flavors flavors;
  private final Unjellier unjellier;
  private final FrameLog frameLog = new FrameLog();
  final Handshake handshake;
  final MessageReader reader;
  private final MessageWriter writer;
  final OutgoingCalls outgoingCalls;
  final IncomingCalls incomingCalls;
  private final Pacing pacing = new Pacing(this);
  private final ProbeTimer probeTimer;

  private final DisconnectWatchers disconnectWatchers = new DisconnectWatchers();
  /** The peer's root: a client's connections only. */
  private final @Nullable CompletableFuture<RemoteReference> rootObject;

  /**
   * A source of pages sent as calls: Twisted's page producers ({@code pb.util.Pager}). The broker
   * asks for one page from each producer per round while the transport is writable, so a large
   * payload never sits whole in the output buffer.
   */
  public interface PageProducer {
    /** Sends the next page, if one is ready. */
    void sendNextPage();

    /** Returns false once paging is over (after sending its end); the producer is then dropped. */
    boolean stillPaging();
  }

  private Broker(boolean server, @Nullable Function<Broker, Object> rootFactory, BrokerOptions options,
      MessageSink sink, EventExecutor executor) {
    this.id = CONNECTION_IDS.incrementAndGet();
    this.idText = Long.toString(id);
    this.server = server;
    this.options = Objects.requireNonNull(options, "options");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.observer = options.observer();
    this.exports = new ExportTable(options.maxBrokerRefs(), observer == PbObserver.NONE
        ? ExportTable.SizeListener.NONE
        : delta -> observer.exportedReferencesChanged(this, delta));
    this.caches = new CacheTables(new CacheLink(this), exports);
    this.flavors = new Flavors(this, exports, imports, caches);
    this.unjellier = new Unjellier(options.registry(), flavors, options.maxDepth());
    this.writer = new MessageWriter(id, options, sink, exports, caches, flavors, frameLog);
    this.handshake = new Handshake(this, server, options, writer);
    this.reader = new MessageReader(new BrokerEvents(this), id, options, frameLog);
    this.outgoingCalls = new OutgoingCalls(this, writer, flavors, unjellier);
    this.incomingCalls = new IncomingCalls(this, writer, exports, caches, unjellier);
    this.rootObject = server ? null : new CompletableFuture<>();
    this.probeTimer = new ProbeTimer(this, server ? options.serverProbe() : options.clientProbe());
    if (rootFactory != null) {
      Object root = Objects.requireNonNull(rootFactory.apply(this), "root");
      MethodTable.of(root.getClass());
      exports.setRoot(root);
    }
  }

  /**
   * Creates the broker of a server connection, serving {@code root} as {@code b'root'}.
   *
   * @throws IllegalArgumentException if the root's remote methods are invalid
   */
  public static Broker server(Object root, BrokerOptions options, MessageSink sink, EventExecutor executor) {
    Objects.requireNonNull(root, "root");
    return new Broker(true, b -> root, options, sink, executor);
  }

  /**
   * Creates the broker of a server connection whose root is made for it by {@code rootFactory}
   * (called once, during construction), as a cred portal makes one wrapper per connection.
   */
  public static Broker server(
      Function<Broker, Object> rootFactory, BrokerOptions options, MessageSink sink, EventExecutor executor) {
    return new Broker(true, Objects.requireNonNull(rootFactory, "rootFactory"), options, sink, executor);
  }

  /** Creates the broker of a client connection. */
  public static Broker client(BrokerOptions options, MessageSink sink, EventExecutor executor) {
    return new Broker(false, null, options, sink, executor);
  }

  /** Returns this connection's id, used in log lines as {@code [conn N]}. */
  public long connectionId() {
    return id;
  }

  /** Returns the peer's address, if the transport knows it. */
  public Optional<SocketAddress> remoteAddress() {
    return Optional.ofNullable(sink.remoteAddress());
  }

  /**
   * Returns the connection's TLS session once its handshake is over: present on a TLS connection
   * (with the peer's verified certificates, if it presented any), empty on a plain one. PB traffic
   * flows only after the handshake, so code that runs for a call always sees it.
   */
  public Optional<SSLSession> tlsSession() {
    return Optional.ofNullable(sink.tlsSession());
  }

  /** Returns the avatar id of the last login through this server connection's portal, if any. */
  public Optional<String> avatarId() {
    return Optional.ofNullable(avatar);
  }

  /** Records a login on this connection, for logs. */
  void loggedIn(String avatarId) {
    avatar = avatarId;
    LogContext.avatarChanged(this);
    observer.login(this, PbObserver.LoginOutcome.SUCCEEDED);
  }

  /** Returns the peer's address as {@code host:port}, or null; made once. */
  @Nullable String peerText() {
    if (peerText == null) {
      peerText = LogContext.describe(sink.remoteAddress());
    }
    return peerText;
  }

  /** Returns the options of this connection. */
  public BrokerOptions options() {
    return options;
  }

  /** Returns the executor (event loop) this connection is confined to. */
  public EventExecutor executor() {
    return executor;
  }

  /** Runs tasks on the executor in this connection's {@link LogContext}: for a portal's callbacks. */
  Executor loggingExecutor() {
    return loggingExecutor;
  }

  /** Returns true until the connection is closed or lost. */
  public boolean isConnected() {
    return !closed;
  }

  /** Returns true while the dialect is agreed and the connection open. */
  boolean isOpen() {
    return state == State.OPEN;
  }

  private void markClosed() {
    state = State.CLOSED;
    closed = true;
    reader.stop();
  }

  /**
   * Returns a future of the peer's root object, complete once the dialect is agreed (no round
   * trip, as in Twisted's {@code getRootObject}). Client connections only.
   */
  public CompletableFuture<RemoteReference> rootObject() {
    if (rootObject == null) {
      throw new IllegalStateException("a server connection has no remote root object");
    }
    return rootObject.copy();
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts the connection: a server offers its dialects. Call once, on the executor. */
  public void connectionMade() {
    checkThread();
    observer.connectionOpened(this);
    handshake.start();
    logger.debug("[conn {}] connected as {}", id, server ? "server" : "client");
  }

  /**
   * Handles bytes from the peer; does not take ownership of {@code data}. Call on the executor.
   * A protocol violation closes the connection.
   */
  public void receive(ByteBuf data) {
    checkThread();
    if (state == State.CLOSED) {
      return;
    }
    probeTimer.heard();
    writer.beginBatch();
    try {
      reader.receive(data);
    } finally {
      writer.endBatch();
    }
  }

  /**
   * Tells the broker that the transport is delivering a burst of reads ({@link #receive} calls,
   * e.g. what one wake-up of an event loop found): what the broker sends meanwhile is written and
   * flushed once, at {@link #endReads}. Each call must be followed by one {@code endReads}, on the
   * executor; without them every {@code receive} flushes at its own end. Nothing else is held
   * back: a call made between bursts is flushed at once.
   */
  public void beginReads() {
    checkThread();
    writer.beginBatch();
  }

  /** Ends a burst of reads begun with {@link #beginReads}: flushes what it made the broker send. */
  public void endReads() {
    checkThread();
    writer.endBatch();
  }

  /**
   * Handles the end of the connection: pending calls fail with {@link ConnectionLostException},
   * exported objects are forgotten (release listeners such as logout run), disconnect callbacks
   * run. Idempotent. Call on the executor; also after a failed start (no {@link #connectionMade}).
   */
  public void connectionLost(@Nullable Throwable cause) {
    checkThread();
    if (lostHandled) {
      return;
    }
    lostHandled = true;
    boolean handshaking = state == State.AWAITING_DIALECT;
    markClosed();
    handshake.cancelTimer();
    probeTimer.stop();
    Throwable reason = closeCause != null ? closeCause : cause;
    CloseReasons.report(this, closeReason != null ? closeReason : CloseReasons.of(reason), handshaking);
    logger.debug("[conn {}] connection lost{}", id, reason == null ? "" : ": " + reason);
    ConnectionLostException lost = new ConnectionLostException(
        "connection lost" + (reason == null || reason.getMessage() == null ? "" : ": " + reason.getMessage()), reason);
    outgoingCalls.connectionLost(lost);
    if (rootObject != null) {
      rootObject.completeExceptionally(lost);
    }
    pacing.connectionLost(lost);
    runCallback(exports::clear, "release of exported objects");
    caches.connectionLost();
    writer.sendDeferred(); // calls fail as dead, answers are dropped
    flavors.clear();
    disconnectWatchers.fire(r -> runCallback(r, "disconnect callback"));
    imports.clear();
    frameLog.clear();
    reader.release();
    writer.release();
  }

  /** Closes the connection; pending calls fail with {@link ConnectionLostException}. */
  public void close() {
    // As a later task: a remote method that closes its own connection still has its answer sent
    // first, as Twisted's loseConnection() delivers what was written.
    Runnable closeNow = () -> {
      if (state != State.CLOSED) {
        if (closeReason == null) {
          closeReason = PbObserver.CloseReason.CLOSED_HERE;
        }
        closeAfterHeld();
      }
    };
    try {
      executor.execute(closeNow);
    } catch (RejectedExecutionException e) {
      logger.debug("[conn {}] executor gone; already closed", id);
    }
  }

  /** Runs {@code callback} when the connection ends (at once if it already has). Twisted's {@code Broker.notifyOnDisconnect}. */
  public void notifyOnDisconnect(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    runOnLoop(() -> {
      if (lostHandled) {
        runCallback(callback, "disconnect callback");
      } else {
        disconnectWatchers.add(callback);
      }
    });
  }

  /** Cancels a {@link #notifyOnDisconnect} registration. */
  public void dontNotifyOnDisconnect(Runnable callback) {
    runOnLoop(() -> disconnectWatchers.remove(callback));
  }

  /** The dialect is agreed: messages follow. */
  void open(Dialect dialect) {
    writer.setDialect(dialect);
    reader.open(dialect, writer.emptyDict());
    state = State.OPEN;
    writer.sendVersion();
    probeTimer.start();
    if (rootObject != null) {
      outgoingCalls.handshakeDone();
      rootObject.complete(RemoteReference.root(this));
    }
  }

  /** Closes the connection, reporting {@code cause} as the reason to pending calls. */
  void closeWith(Throwable cause) {
    if (closeCause == null) {
      closeCause = cause;
    }
    close();
  }

  // ---------------------------------------------------------------- calling

  CompletableFuture<@Nullable Object> callRemote(RemoteReference ref, CallOptions callOptions, String method,
      List<?> args, Map<String, ?> kwargs, boolean answerRequired) {
    return outgoingCalls.call(ref, callOptions, method, args, kwargs, answerRequired);
  }

  /** The remote method running now on this connection, for error messages; null if none. On the executor. */
  @Nullable String runningRemoteMethod() {
    return incomingCalls.running();
  }

  CompletableFuture<@Nullable Object> callCache(
      RemoteCacheObserver observer, String method, List<?> args, Map<String, ?> kwargs, boolean answerRequired) {
    return outgoingCalls.callCache(observer, caches, method, args, kwargs, answerRequired);
  }

  // ---------------------------------------------------------------- paging and pacing

  /** Registers a page producer; pages flow while the transport is writable. Twisted's {@code registerPageProducer}. */
  public void registerPageProducer(PageProducer producer) {
    Objects.requireNonNull(producer, "producer");
    runOnLoop(() -> pacing.add(producer));
  }

  /**
   * Tells the broker the transport takes output again: page producers resume and {@link
   * #whenWritable} futures complete. The transport calls it when it becomes writable again.
   */
  public void resumeProducing() {
    runOnLoop(() -> {
      probeTimer.heard(); // the peer took a backlog of output: it is alive, if quiet
      pacing.resume();
    });
  }

  /**
   * Returns true while the connection is open and its transport takes more output without
   * queueing much (on Netty: less than the channel's high water mark, 1 MiB, waiting to be
   * written). A program that makes many calls, or large ones, can pace itself with this and
   * {@link #whenWritable}; Twisted has no such signal for calls. Thread-safe.
   */
  public boolean isWritable() {
    return !closed && sink.isWritable();
  }

  /**
   * Runs {@code task} on the connection's executor (at once if there), flushing what it sends once,
   * at its end, rather than per message: for many calls on one connection at once (a chat
   * message to every session on it). What it throws is logged. False if the executor is gone.
   */
  public boolean batch(Runnable task) {
    Objects.requireNonNull(task, "task");
    return runOnLoop(() -> writer.batch(() -> runCallback(task, "a batch")));
  }

  /**
   * Returns a future that completes, on the connection's executor, once the transport takes more
   * output: at once if it does now, else when what was queued has drained (on Netty: below the low
   * water mark, 256 KiB). Fails with {@link ConnectionLostException} if the connection ends
   * first. Thread-safe.
   */
  public CompletableFuture<@Nullable Void> whenWritable() {
    CompletableFuture<@Nullable Void> result = new CompletableFuture<>();
    boolean queued = runOnLoop(() -> {
      if (state == State.CLOSED) {
        result.completeExceptionally(new ConnectionLostException("connection lost", closeCause));
      } else {
        pacing.whenWritable(result);
      }
    });
    if (!queued) {
      result.completeExceptionally(new ConnectionLostException("connection lost: executor gone", null));
    }
    return result;
  }

  // ---------------------------------------------------------------- caches and references

  /** Sends {@code [command, luid]} ({@code decache}, {@code uncache}) if the connection is open. */
  void sendCacheCommand(BrokerCommand command, int luid) {
    if (state == State.OPEN) {
      writer.sendCommand(command, luid);
    }
  }

  /**
   * Tells the owner this side no longer needs {@code cache} ({@code decache}, once per copy
   * received); the owner answers {@code uncache}. Does nothing if the cache is not held here. A
   * copy the program drops is released the same way once the garbage collector finds it; this
   * makes it sooner. A released copy is not sent back to its owner ({@link
   * DeadReferenceException}) unless received again.
   */
  public void releaseCache(RemoteCache cache) {
    Objects.requireNonNull(cache, "cache");
    runOnLoop(() -> caches.release(cache));
  }

  /** Gives back one occurrence of the peer's object {@code luid} that nobody will hold. On the loop. */
  void sendDecref(int luid) {
    if (state == State.OPEN) {
      writer.sendCommand(BrokerCommand.DECREF, luid);
    }
  }

  /** Releases one imported reference: one {@code decref} per occurrence received. On the loop. */
  void release(RemoteReference.Holder holder) {
    int count = imports.release(holder);
    if (state != State.OPEN) {
      return;
    }
    for (int i = 0; i < count; i++) {
      writer.sendCommand(BrokerCommand.DECREF, holder.luid);
    }
  }

  /** Called from the cleaner thread when a reference became unreachable. */
  void releaseLater(RemoteReference.Holder holder) {
    runOnLoop(() -> release(holder));
  }

  /**
   * Keeps the avatar reference of a login made on this connection strongly reachable until it is
   * released or the connection ends: a program that drops the reference {@code login()} returned
   * must not see the server log it out when the garbage collector runs. Twisted's programs keep
   * the avatar by hand; here the connection owns it.
   */
  void keepLoginAvatar(RemoteReference avatar) {
    runOnLoop(() -> {
      if (state != State.CLOSED) {
        imports.keep(avatar);
      }
    });
  }

  void watchDisconnect(RemoteReference ref) {
    disconnectWatchers.watch(ref);
  }

  void unwatchDisconnect(RemoteReference ref) {
    disconnectWatchers.unwatch(ref);
  }

  // ---------------------------------------------------------------- plumbing

  /** Asks the transport to stop or resume reading: see {@link MessageSink#pauseReading}. */
  void pauseReading(boolean pause) {
    sink.pauseReading(pause);
  }

  /** The peer did not finish the handshake in time. */
  void handshakeTimedOut(String reason) {
    if (closeReason == null) {
      closeReason = PbObserver.CloseReason.HANDSHAKE_TIMEOUT;
    }
    observer.handshakeFailed(this, PbObserver.HandshakeFailure.TIMEOUT);
    protocolViolation(reason);
  }

  void protocolViolation(String reason) {
    logger.warn("[conn {}] closing connection: {}", id, reason);
    if (closeReason == null) {
      closeReason = CloseReasons.isLimit(reason)
          ? PbObserver.CloseReason.LIMIT : PbObserver.CloseReason.PROTOCOL_ERROR;
    }
    if (closeCause == null) {
      closeCause = new PbProtocolException(reason);
    }
    closeAfterHeld();
  }

  private void closeAfterHeld() {
    markClosed();
    writer.writeHeld();
    sink.close();
  }

  /** Runs {@code task} on the connection's executor: now if already there. Returns false if the executor is gone. */
  boolean runOnLoop(Runnable task) {
    if (executor.inEventLoop()) {
      task.run();
      return true;
    }
    try {
      executor.execute(() -> LogContext.run(this, task));
      return true;
    } catch (RejectedExecutionException e) {
      logger.debug("[conn {}] executor gone; task dropped", id);
      return false;
    }
  }

  /** Runs application code that must not stop the broker's own work: what it throws is logged. */
  void runCallback(Runnable callback, String what) {
    try {
      callback.run();
    } catch (Throwable t) {
      if (Failures.isFatal(t)) {
        throw t;
      }
      logger.warn("[conn {}] {} threw", id, what, t);
    }
  }

  /**
   * Ends the connection after an error that leaves the JVM unusable ({@link Failures#isFatal}),
   * thrown by {@code what}: nothing more is sent on it, pending calls fail as lost.
   */
  void fatalError(String what, Throwable error) {
    logger.error("[conn {}] {} threw {}; closing the connection", id, what, error.toString(), error);
    if (closeCause == null) {
      closeCause = error;
    }
    if (closeReason == null) {
      closeReason = PbObserver.CloseReason.OTHER;
    }
    if (state != State.CLOSED) {
      markClosed();
      try {
        writer.writeHeld(); // what was sent before the error goes first, if it still can
      } catch (RuntimeException | Error e) {
        error.addSuppressed(e);
      }
      sink.close();
    }
  }

  private void checkThread() {
    if (!executor.inEventLoop()) {
      throw new IllegalStateException("must be called on the connection's executor");
    }
  }

  @Override
  public String toString() {
    return "Broker[conn " + id + ", " + (server ? "server" : "client") + ", " + state + "]";
  }
}
