package io.github.pb4j;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaReader;
import io.github.pb4j.banana.BananaScanner;
import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaException;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.banana.SexpFormatter;
import io.github.pb4j.jelly.Jellier;
import io.github.pb4j.jelly.JellyReader;
import io.github.pb4j.jelly.JellyException;
import io.github.pb4j.jelly.JellyExtension;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.jelly.TypeMismatchException;
import io.github.pb4j.jelly.Unjellier;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
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
 * <p><em>Thread-safe</em> for its public methods, which hop onto the connection's executor; all
 * state is confined to that executor, as Twisted's reactor confines it to one thread.
 */
public final class Broker {
  private static final Logger logger = LoggerFactory.getLogger(Broker.class);
  private static final AtomicLong CONNECTION_IDS = new AtomicLong();
  private static final int PROTOCOL_VERSION = 6;
  private static final ByteString REMOTE = ByteString.ascii("remote");
  private static final ByteString LOCAL = ByteString.ascii("local");
  /** Twisted closes a connection at the fourth reference-limit violation. */
  private static final int MAX_LIMIT_VIOLATIONS = 3;

  private enum State {
    AWAITING_DIALECT,
    OPEN,
    CLOSED
  }

  private final long id;
  private final boolean server;
  private final BrokerOptions options;
  private final MessageSink sink;
  private final EventExecutor executor;
  private final BananaDecoder decoder;
  /** The one-pass reader of plain calls and answers; the decoder takes what it declines. */
  private final BananaReader reader;
  private final JellyReader jellyReader;
  /** Messages read in one pass so far; for tests. */
  private long onePassReads;
  private final FlavorExtension extension = new FlavorExtension();
  private final Unjellier unjellier;
  private BananaEncoder encoder;
  private Jellier jellier;
  /** In the current dialect: {@code [b'message', } and {@code [b'answer', } headers, {@code {}}. */
  private byte[] messageHeader = new byte[0];
  private byte[] answerHeader = new byte[0];
  private byte[] emptyDict = new byte[0];
  private byte[] rootId = new byte[0];
  /** The last method name called and its encoding: callers mostly repeat a name. */
  private @Nullable String lastMethod;
  private byte[] lastMethodBytes = new byte[0];

  /** Confined to the executor; {@link #closed} mirrors CLOSED for other threads. */
  private State state = State.AWAITING_DIALECT;
  /** True once {@link #state} is CLOSED: for {@link #isWritable} and {@link #isConnected}. */
  private volatile boolean closed;
  private boolean lostHandled;
  private @Nullable Throwable closeCause;
  private @Nullable ByteBuf cumulation;
  private boolean inReceive;
  /** The first buffered message spans reads; {@link #scanner} tells when it is whole. */
  private boolean awaitingWholeMessage;
  /** False only in tests that compare the one-pass reading with the general path. */
  private boolean onePassAllowed = true;
  private final BananaScanner scanner;
  /** The largest message waited for to read in one pass; a larger one goes to the decoder. */
  private static final int MAX_AWAITED_MESSAGE_BYTES = 1 << 20;
  private @Nullable ScheduledFuture<?> handshakeTimer;
  private boolean needsFlush;

  private final ExportTable exports;
  private final Map<Integer, ImportEntry> imports = new HashMap<>();
  private final Map<ViewPoint, ViewPoint> viewPoints = new HashMap<>();
  private final CacheTables caches;
  private final IntObjectHashMap<CompletableFuture<@Nullable Object>> pending = new IntObjectHashMap<>();
  private int nextRequestId = 1;
  private int limitViolations;
  private final List<Runnable> awaitingHandshake = new ArrayList<>();
  private final Set<RemoteReference> watchedReferences = new LinkedHashSet<>();
  private final List<Runnable> disconnectCallbacks = new ArrayList<>();
  private final CompletableFuture<RemoteReference> rootObject = new CompletableFuture<>();
  private @Nullable Object currentPerspective;
  /** True while an answer or error body is unjellied (unknown local ids read as None there). */
  private boolean decodingAnswer;
  private final OutgoingBuffers outgoing;
  /** Calls, answers and errors made while a message was being encoded, sent right after it. */
  private final java.util.ArrayDeque<Runnable> deferredSends = new java.util.ArrayDeque<>();
  /** {@link #whenWritable} futures waiting for the transport to drain. */
  private final List<CompletableFuture<@Nullable Void>> writableWaiters = new ArrayList<>();
  private final PageProducers pageProducers;
  /** Renders frames for the TRACE log; its memory of login calls is kept only while TRACE is on. */
  private final FrameLog frameLog = new FrameLog();

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

  private record ImportEntry(WeakReference<RemoteReference> ref, RemoteReference.Holder holder) {}

  private Broker(boolean server, @Nullable Function<Broker, Object> rootFactory, BrokerOptions options,
      MessageSink sink, EventExecutor executor) {
    this.id = CONNECTION_IDS.incrementAndGet();
    this.server = server;
    this.options = Objects.requireNonNull(options, "options");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.decoder = new BananaDecoder(options.bananaLimits(), Dialect.NONE);
    this.reader = new BananaReader(options.bananaLimits(), Dialect.NONE);
    this.jellyReader = new JellyReader(reader, options.maxDepth());
    this.scanner = new BananaScanner(options.bananaLimits(), MAX_AWAITED_MESSAGE_BYTES);
    this.unjellier = new Unjellier(options.registry(), extension, options.maxDepth());
    this.exports = new ExportTable(options.maxBrokerRefs());
    this.caches = new CacheTables(this, exports);
    this.outgoing = new OutgoingBuffers(sink);
    this.pageProducers = new PageProducers(executor, sink, () -> state == State.CLOSED, id);
    switchDialect(Dialect.NONE);
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
  public java.util.Optional<java.net.SocketAddress> remoteAddress() {
    return java.util.Optional.ofNullable(sink.remoteAddress());
  }

  /** Returns the options of this connection. */
  public BrokerOptions options() {
    return options;
  }

  /** Returns the executor (event loop) this connection is confined to. */
  public EventExecutor executor() {
    return executor;
  }

  /** Returns true until the connection is closed or lost. */
  public boolean isConnected() {
    return !closed;
  }

  private void markClosed() {
    state = State.CLOSED;
    closed = true;
  }

  /**
   * Returns a future of the peer's root object, complete once the dialect is agreed (no round
   * trip, as in Twisted's {@code getRootObject}). Client connections only.
   */
  public CompletableFuture<RemoteReference> rootObject() {
    if (server) {
      throw new IllegalStateException("a server connection has no remote root object");
    }
    return rootObject.copy();
  }

  /** Starts the connection: a server offers its dialects. Call once, on the executor. */
  public void connectionMade() {
    checkThread();
    Duration timeout = options.handshakeTimeout();
    if (!timeout.isZero() && state == State.AWAITING_DIALECT) {
      try {
        handshakeTimer = executor.schedule(() -> {
          handshakeTimer = null;
          if (state == State.AWAITING_DIALECT) {
            protocolViolation("no PB handshake from the peer within " + timeout.toMillis() + " ms");
          }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (UnsupportedOperationException e) {
        throw new IllegalStateException("the broker's executor cannot schedule the handshake timeout;"
            + " use one that can, or BrokerOptions.handshakeTimeout(Duration.ZERO)", e);
      }
    }
    if (server) {
      ByteBuf buf = sink.alloc().buffer();
      encoder.writeListHeader(buf, options.dialects().size());
      for (Dialect d : options.dialects()) {
        encoder.writeBytes(buf, d.wireName());
      }
      send(buf);
    }
    logger.debug("[conn {}] connected as {}", id, server ? "server" : "client");
  }

  private void handshakeDone() {
    state = State.OPEN;
    cancelHandshakeTimer();
  }

  private void cancelHandshakeTimer() {
    ScheduledFuture<?> timer = handshakeTimer;
    if (timer != null) {
      handshakeTimer = null;
      timer.cancel(false);
    }
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
    inReceive = true;
    try {
      ByteBuf in = data;
      if (cumulation != null && cumulation.isReadable()) {
        cumulation.writeBytes(data);
        in = cumulation;
      }
      boolean fast = onePassAllowed && !logger.isTraceEnabled();
      if (!fast && awaitingWholeMessage) {
        awaitingWholeMessage = false; // TRACE was switched on: the decoder reads it
        scanner.reset();
      }
      boolean windowOpen = false;
      boolean windowBehind = false;
      while (state != State.CLOSED) {
        if (fast && state == State.OPEN && !decoder.isInsideExpression()) {
          if (!in.isReadable()) {
            break;
          }
          boolean onePass = true;
          if (awaitingWholeMessage) {
            BananaScanner.Result scanned = scanner.scan(in);
            if (scanned == BananaScanner.Result.INCOMPLETE) {
              break; // the rest of the message is still to come
            }
            awaitingWholeMessage = false;
            scanner.reset();
            onePass = scanned == BananaScanner.Result.COMPLETE; // else the decoder judges it
          }
          if (onePass) {
            if (!windowOpen || reader.isEmpty()) {
              reader.begin(in);
              windowOpen = true;
            } else if (windowBehind) {
              reader.follow(in); // the decoder took the last message: skip it, copying nothing
            }
            windowBehind = false;
            if (readPlainMessage(in)) {
              continue;
            }
            if (reader.truncated() && in.readableBytes() < MAX_AWAITED_MESSAGE_BYTES) {
              // A message larger than this read: keep the bytes until it is whole (the scanner
              // says when, in one pass over it), then read it in one pass too.
              awaitingWholeMessage = true;
              break;
            }
          }
          windowBehind = true;
        }
        Object expression;
        try {
          expression = decoder.decode(in);
        } catch (BananaException e) {
          protocolViolation("malformed banana: " + e.getMessage());
          break;
        }
        if (expression == null) {
          break;
        }
        handleExpression(expression);
      }
      keepRemainder(in, data);
    } finally {
      inReceive = false;
      if (needsFlush) {
        needsFlush = false;
        sink.flush();
      }
    }
  }

  private void keepRemainder(ByteBuf in, ByteBuf data) {
    if (state == State.CLOSED) {
      return;
    }
    if (in == data) {
      if (data.isReadable()) {
        if (cumulation == null) {
          cumulation = Unpooled.buffer(Math.max(256, data.readableBytes()));
        }
        cumulation.writeBytes(data);
      }
    } else if (cumulation != null) {
      if (cumulation.isReadable()) {
        cumulation.discardReadBytes();
      } else {
        cumulation.clear();
      }
    }
  }

  /**
   * Handles the end of the connection: pending calls fail with {@link ConnectionLostException},
   * exported objects are forgotten (release listeners such as logout run), disconnect callbacks
   * run. Idempotent. Call on the executor.
   */
  public void connectionLost(@Nullable Throwable cause) {
    checkThread();
    if (lostHandled) {
      return;
    }
    lostHandled = true;
    markClosed();
    cancelHandshakeTimer();
    Throwable reason = closeCause != null ? closeCause : cause;
    logger.debug("[conn {}] connection lost{}", id, reason == null ? "" : ": " + reason);
    ConnectionLostException lost = new ConnectionLostException(
        "connection lost" + (reason == null || reason.getMessage() == null ? "" : ": " + reason.getMessage()), reason);
    List<CompletableFuture<@Nullable Object>> calls = new ArrayList<>(pending.values());
    pending.clear();
    for (CompletableFuture<@Nullable Object> f : calls) {
      f.completeExceptionally(lost);
    }
    List<Runnable> queued = new ArrayList<>(awaitingHandshake);
    awaitingHandshake.clear();
    queued.forEach(Runnable::run);
    rootObject.completeExceptionally(lost);
    List<CompletableFuture<@Nullable Void>> waiters = new ArrayList<>(writableWaiters);
    writableWaiters.clear();
    waiters.forEach(w -> w.completeExceptionally(lost));
    runCallback(exports::clear, "release of exported objects");
    caches.connectionLost();
    runDeferredSends(); // calls fail as dead, answers are dropped
    viewPoints.clear();
    for (RemoteReference r : new ArrayList<>(watchedReferences)) {
      r.disconnected();
    }
    watchedReferences.clear();
    for (Runnable r : new ArrayList<>(disconnectCallbacks)) {
      runCallback(r, "disconnect callback");
    }
    disconnectCallbacks.clear();
    imports.clear();
    frameLog.clear();
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    outgoing.release();
  }

  /** Closes the connection; pending calls fail with {@link ConnectionLostException}. */
  public void close() {
    // As a later task: a remote method that closes its own connection still has its answer sent
    // first, as Twisted's loseConnection() delivers what was written.
    Runnable closeNow = () -> {
      if (state != State.CLOSED) {
        markClosed();
        sink.close();
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
        disconnectCallbacks.add(callback);
      }
    });
  }

  /** Cancels a {@link #notifyOnDisconnect} registration. */
  public void dontNotifyOnDisconnect(Runnable callback) {
    runOnLoop(() -> disconnectCallbacks.remove(callback));
  }

  /** Returns the number of objects this side currently exports, root included. Visible for testing. */
  public int exportedCount() {
    checkThread();
    return exports.size();
  }

  /** Returns the number of references this side holds to the peer's objects. Visible for testing. */
  public int importedCount() {
    checkThread();
    return imports.size();
  }

  /** For tests: reads everything through the decoder and the unjellier (TRACE logging does too). */
  void disableOnePassReading() {
    onePassAllowed = false;
  }

  /** Returns the number of messages read in one pass, without the Banana tree. Visible for testing. */
  long onePassReads() {
    checkThread();
    return onePassReads;
  }

  /** Returns the number of calls awaiting an answer. Visible for testing. */
  public int pendingCount() {
    checkThread();
    return pending.size();
  }

  // ---------------------------------------------------------------- incoming

  /**
   * Reads and handles the next message in one pass if it is a plain call or answer (see {@link
   * JellyReader}); returns false, having consumed nothing, for anything else.
   */
  private boolean readPlainMessage(ByteBuf in) {
    BananaReader r = reader;
    try {
      int count = r.nextList();
      if (count != 7 && count != 3) {
        // Not a call or an answer: read nothing past its header (after an empty list, the next
        // token is the next message's, and a read stopped by its end would wait for the rest).
        throw BananaReader.Unsupported.INSTANCE;
      }
      int type = r.next();
      if (count == 7 && r.is(type, BrokerCommand.MESSAGE.wire)) {
        Object requestId = plainAtom(r.next());
        int objectType = r.next();
        Object objectId = r.is(objectType, ExportTable.ROOT) ? ExportTable.ROOT : plainAtom(objectType);
        int methodType = r.next();
        Object method = methodType == BananaReader.STRING ? r.sharedByteString() : plainAtom(methodType);
        Object flag = plainAtom(r.next());
        Object args = jellyReader.read();
        // Most calls have no keyword arguments: an empty dict, which needs no map.
        Object kwargs = r.skipIf(emptyDict) ? Map.of() : jellyReader.read();
        r.commit(in);
        onePassReads++;
        handleCall(requestId, objectId, method, flag, args, kwargs);
        return true;
      }
      if (count == 3 && r.is(type, BrokerCommand.ANSWER.wire)) {
        if (r.next() != BananaReader.INT || r.longValue() != (int) r.longValue()) {
          throw BananaReader.Unsupported.INSTANCE;
        }
        int requestId = (int) r.longValue();
        Object value = jellyReader.read();
        r.commit(in);
        onePassReads++;
        CompletableFuture<@Nullable Object> future = pendingFor(requestId, "answer");
        if (future != null) {
          future.complete(value);
        }
        return true;
      }
    } catch (BananaReader.Unsupported e) {
      // Fall through: the general path decides, with its exact errors.
    }
    r.rollback();
    return false;
  }

  /** Returns the atom just read as the decoder would: an int or a byte string; declines the rest. */
  private Object plainAtom(int type) {
    switch (type) {
      case BananaReader.INT:
        return reader.number();
      case BananaReader.STRING:
        return reader.byteString();
      case BananaReader.VOCAB:
        return reader.word();
      default:
        throw BananaReader.Unsupported.INSTANCE;
    }
  }

  private void handleExpression(Object expression) {
    if (logger.isTraceEnabled()) {
      logger.trace("<< [conn {}] {}", id, frameLog.render(expression, false));
    }
    if (state == State.AWAITING_DIALECT) {
      handshake(expression);
      return;
    }
    if (!(expression instanceof List<?> message) || message.isEmpty()
        || !(message.get(0) instanceof ByteString commandName)) {
      protocolViolation("message: " + abbreviate(expression) + " (expected: [command, ...])");
      return;
    }
    BrokerCommand command = BrokerCommand.fromWire(commandName);
    if (command == null) {
      protocolViolation("unknown command " + commandName.toPythonRepr());
      return;
    }
    if (message.size() != command.size) {
      protocolViolation(commandName.toStringUtf8() + " fields: " + message.size() + " (expected: " + command.size + ")");
      return;
    }
    switch (command) {
      case MESSAGE:
        handleMessage(message);
        break;
      case ANSWER:
        handleResult(message, false);
        break;
      case ERROR:
        handleResult(message, true);
        break;
      case DECREF:
        handleDecref(message.get(1));
        break;
      case VERSION:
        if (!Integer.valueOf(PROTOCOL_VERSION).equals(message.get(1))) {
          protocolViolation("version: " + abbreviate(message.get(1)) + " (expected: " + PROTOCOL_VERSION + ")");
        }
        break;
      case CACHEMESSAGE:
        handleCacheMessage(message);
        break;
      case DECACHE:
        caches.handleDecache(message.get(1));
        break;
      case UNCACHE:
        caches.handleUncache(message.get(1));
        break;
      case DID_NOT_UNDERSTAND:
        logger.debug("[conn {}] peer did not understand {}", id, abbreviate(message.get(1)));
        break;
      default:
        throw new AssertionError(command);
    }
  }

  private void handshake(Object expression) {
    if (server) {
      Dialect chosen = expression instanceof ByteString s ? Dialect.fromWire(s) : null;
      if (chosen == null || !options.dialects().contains(chosen)) {
        logger.debug("[conn {}] client chose dialect {}; closing", id, abbreviate(expression));
        close();
        return;
      }
      switchDialect(chosen);
      handshakeDone();
      sendVersion();
      return;
    }
    if (!(expression instanceof List<?> offer)) {
      protocolViolation("dialect offer: " + abbreviate(expression) + " (expected: a list)");
      return;
    }
    Dialect chosen = null;
    for (Object o : offer) {
      Dialect d = o instanceof ByteString s ? Dialect.fromWire(s) : null;
      if (d != null && options.dialects().contains(d)) {
        chosen = d;
        break;
      }
    }
    if (chosen == null) {
      logger.debug("[conn {}] server offers no dialect we speak: {}; closing", id, abbreviate(expression));
      closeCause = new PbProtocolException("server offers no dialect pb4j speaks: " + abbreviate(expression));
      close();
      return;
    }
    ByteBuf selection = sink.alloc().buffer();
    encoder.writeBytes(selection, chosen.wireName());
    send(selection);
    switchDialect(chosen);
    handshakeDone();
    sendVersion();
    List<Runnable> queued = new ArrayList<>(awaitingHandshake);
    awaitingHandshake.clear();
    queued.forEach(Runnable::run);
    rootObject.complete(RemoteReference.root(this));
  }

  private void switchDialect(Dialect dialect) {
    decoder.setDialect(dialect);
    reader.setDialect(dialect);
    encoder = new BananaEncoder(dialect, options.bananaLimits());
    jellier = new Jellier(encoder, options.registry(), extension, options.maxDepth());
    messageHeader = encoded(b -> writeHeader(b, BrokerCommand.MESSAGE));
    answerHeader = encoded(b -> writeHeader(b, BrokerCommand.ANSWER));
    rootId = encoded(b -> encoder.writeBytes(b, ExportTable.ROOT));
    emptyDict = encoded(b -> jellier.jelly(Map.of(), b));
    lastMethod = null;
  }

  private void writeHeader(ByteBuf buf, BrokerCommand command) {
    encoder.writeListHeader(buf, command.size);
    encoder.writeBytes(buf, command.wire);
  }

  /** Returns the bytes {@code writer} writes: constants written whole later. */
  private static byte[] encoded(java.util.function.Consumer<ByteBuf> writer) {
    ByteBuf buf = Unpooled.buffer(16);
    try {
      writer.accept(buf);
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  private void sendVersion() {
    ByteBuf buf = sink.alloc().buffer(8);
    encoder.writeListHeader(buf, 2);
    encoder.writeBytes(buf, BrokerCommand.VERSION.wire);
    encoder.writeInt(buf, PROTOCOL_VERSION);
    send(buf);
  }

  /** An incoming call: {@code [b'message', requestId, objectId, method, answerRequired, args, kwargs]}. */
  private void handleMessage(List<?> message) {
    Call call = beginCall(message.get(1), message.get(2), message.get(3), message.get(4));
    if (call != null) {
      dispatch(call, Objects.requireNonNull(call.exported), message);
    }
  }

  /**
   * Starts serving a call: checks its method name and finds its target. Returns null if the call
   * was refused (a protocol violation, or an error answered).
   */
  private @Nullable Call beginCall(Object requestId, Object objectId, Object rawMethod, Object flag) {
    ByteString method = methodName(rawMethod);
    if (method == null) {
      return null;
    }
    Call call = new Call(requestId, method, isTrue(flag));
    Object target = exports.lookup(objectId);
    if (target == null) {
      fail(call, new PbApplicationException("Invalid Object ID"));
      return null;
    }
    call.exported = target;
    return call;
  }

  /** A call read in one pass: as {@link #handleMessage}, its arguments already unjellied. */
  private void handleCall(Object requestId, Object objectId, Object rawMethod, Object flag,
      @Nullable Object args, @Nullable Object kwargs) {
    Call call = beginCall(requestId, objectId, rawMethod, flag);
    if (call == null) {
      return;
    }
    List<?> argList;
    Map<String, ?> keywords;
    try {
      argList = RemoteMethod.argumentList(args);
      keywords = keywordArguments(kwargs);
    } catch (JellyException e) {
      fail(call, e);
      return;
    }
    dispatch(call, Objects.requireNonNull(call.exported), argList, keywords);
  }

  /** Unjellies a message's arguments (separately, as Twisted does) and calls the method. */
  private void dispatch(Call call, Object exported, List<?> message) {
    List<?> args;
    Map<String, ?> kwargs;
    try {
      args = RemoteMethod.argumentList(unjellier.unjelly(message.get(5)));
      kwargs = keywordArguments(unjellier.unjelly(message.get(6)));
    } catch (JellyException e) {
      fail(call, e);
      return;
    }
    dispatch(call, exported, args, kwargs);
  }

  private void dispatch(Call call, Object exported, List<?> args, Map<String, ?> kwargs) {
    Object target = exported;
    String prefix = "remote_";
    MethodTable table;
    if (exported instanceof ViewPoint vp) {
      target = vp.viewable;
      call.perspective = vp.perspective;
      prefix = "view_";
      table = MethodTable.of(target.getClass());
    } else if (exported instanceof PerspectiveAdapter adapter) {
      target = adapter.avatar();
      call.perspective = adapter.avatar();
      table = MethodTable.of(target.getClass());
      prefix = table.isAvatar() || !(target instanceof Referenceable) ? "perspective_" : "remote_";
    } else {
      table = MethodTable.of(exported.getClass());
      if (table.isAvatar()) {
        call.perspective = exported;
        prefix = "perspective_";
      } else if (table.isRemoteCache()) {
        prefix = "observe_";
      }
    }
    RemoteMethod method = table.get(call.method);
    if (method == null) {
      String name = call.method.toStringUtf8();
      fail(call, prefix.equals("remote_")
          ? new NoSuchRemoteMethodException(name, "No such method: remote_" + name)
          : new Failures.MissingAttributeException(
              "'" + table.className() + "' object has no attribute '" + prefix + name + "'"));
      return;
    }
    call.target = method;
    Object result;
    try {
      result = method.invoke(target, method.bind(args, kwargs, call.perspective));
    } catch (Throwable t) {
      if (t instanceof Error e && !(t instanceof StackOverflowError)) {
        throw e;
      }
      fail(call, t);
      return;
    }
    if (result instanceof CompletionStage<?> stage) {
      stage.whenComplete((value, error) -> runOnLoop(() -> {
        if (error != null) {
          fail(call, unwrap(error));
        } else {
          answer(call, value);
        }
      }));
    } else {
      answer(call, result);
    }
  }

  private void handleCacheMessage(List<?> message) {
    ByteString method = methodName(message.get(3));
    if (method == null) {
      return;
    }
    Call call = new Call(message.get(1), method, isTrue(message.get(4)));
    RemoteCache held = caches.held(message.get(2));
    if (held == null) {
      fail(call, new JellyException("builtins.KeyError", abbreviate(message.get(2)), null));
      return;
    }
    dispatch(call, held, message);
  }

  private @Nullable ByteString methodName(Object raw) {
    if (!(raw instanceof ByteString name)) {
      protocolViolation("method name: " + abbreviate(raw) + " (expected: bytes)");
      return null;
    }
    if (!name.isAscii()) {
      try {
        name.toStringUtf8();
      } catch (IllegalArgumentException e) {
        protocolViolation("method name: " + name.toPythonRepr() + " (expected: UTF-8)");
        return null;
      }
    }
    return name;
  }

  /** Python's truth of an {@code answerRequired} flag: anything but 0 and False. */
  static boolean isTrue(Object flag) {
    return !(flag instanceof Integer i && i == 0) && !Boolean.FALSE.equals(flag);
  }

  private static Map<String, ?> keywordArguments(@Nullable Object kwargs) {
    if (!(kwargs instanceof Map<?, ?> map)) {
      throw new TypeMismatchException("keyword arguments: " + abbreviate(kwargs) + " (expected: dict)");
    }
    if (map.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> result = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Object key = e.getKey();
      String name;
      if (key instanceof String s) {
        name = s;
      } else if (key instanceof ByteString b) {
        try {
          name = b.toStringUtf8(); // Python-2 peers send bytes keys; Twisted's Referenceable converts them.
        } catch (IllegalArgumentException notUtf8) { // as Twisted's k.decode("utf8") raises
          throw new JellyException(
              "builtins.UnicodeDecodeError", "keyword: " + b.toPythonRepr() + " (expected: UTF-8)", notUtf8);
        }
      } else {
        throw new TypeMismatchException("keywords must be strings");
      }
      result.put(name, e.getValue());
    }
    return result;
  }

  /** An {@code answer} or {@code error}: completes the pending call it names. */
  private void handleResult(List<?> message, boolean error) {
    String what = error ? "error" : "answer";
    CompletableFuture<@Nullable Object> future = pendingFor(message.get(1), what);
    if (future == null) {
      return;
    }
    Object value;
    try {
      decodingAnswer = true;
      value = unjellier.unjelly(message.get(2));
    } catch (JellyException e) {
      // Twisted drops the connection and never fires the call; we fail the call as well.
      future.completeExceptionally(new ConnectionLostException("undecodable " + what + ": " + e.getMessage(), e));
      protocolViolation("undecodable " + what + ": " + e.getMessage());
      return;
    } finally {
      decodingAnswer = false;
    }
    if (error) {
      future.completeExceptionally(Failures.fromBody(value));
    } else {
      future.complete(value);
    }
  }

  private @Nullable CompletableFuture<@Nullable Object> pendingFor(Object requestId, String what) {
    if (requestId instanceof Integer i) {
      return pendingFor((int) i, what);
    }
    protocolViolation(what + " to unknown request id " + abbreviate(requestId));
    return null;
  }

  private @Nullable CompletableFuture<@Nullable Object> pendingFor(int requestId, String what) {
    CompletableFuture<@Nullable Object> future = pending.remove(requestId);
    if (future == null) {
      protocolViolation(what + " to unknown request id " + requestId);
    }
    return future;
  }

  private void handleDecref(Object luid) {
    if (!(luid instanceof Integer i)) {
      protocolViolation("decref of " + abbreviate(luid) + " (expected: an exported luid)");
      return;
    }
    if (!exports.decref(i)) {
      protocolViolation("decref of unknown luid " + i);
    }
  }

  // ---------------------------------------------------------------- answering

  /** One incoming call being served. */
  private static final class Call {
    final Object requestId;
    final ByteString method;
    final boolean answerRequired;
    /** What the call is addressed to, as exported; set by {@code beginCall}. */
    @Nullable Object exported;
    @Nullable Object perspective;
    @Nullable RemoteMethod target;

    Call(Object requestId, ByteString method, boolean answerRequired) {
      this.requestId = requestId;
      this.method = method;
      this.answerRequired = answerRequired;
    }

    String describe() {
      return target != null ? target.toString() : method.toStringUtf8();
    }
  }

  private void answer(Call call, @Nullable Object value) {
    if (!call.answerRequired || state != State.OPEN) {
      return;
    }
    if (outgoing.isEncoding()) {
      // Made by code the jellier runs (a stateToCopyFor completing a future): sent right after
      // the message being encoded, which the jellier and the export journal are busy with.
      deferredSends.add(() -> answer(call, value));
      return;
    }
    ByteBuf buf = outgoing.start();
    ByteBuf message = null;
    RuntimeException failure = null;
    beginMessage();
    currentPerspective = call.perspective;
    try {
      buf.writeBytes(answerHeader);
      encoder.encode(call.requestId, buf);
      jellier.jelly(value, buf);
      message = outgoing.copyForTransport(buf);
      commitMessage();
    } catch (RuntimeException | Error e) {
      message = undo(message, e);
      failure = (RuntimeException) e;
    } finally {
      currentPerspective = null;
      outgoing.end(buf);
    }
    if (message == null) {
      fail(call, Objects.requireNonNull(failure));
    } else {
      send(message);
    }
    runDeferredSends();
  }

  /** Sends what code run by the jellier asked to send while a message was being encoded. */
  private void runDeferredSends() {
    Runnable r;
    while (!outgoing.isEncoding() && (r = deferredSends.poll()) != null) {
      r.run();
    }
  }

  /**
   * Undoes a message whose encoding failed: releases its transport copy if made, rolls back its
   * exports and caches, rethrows an {@link Error}. Returns null, the message there no longer is.
   */
  private @Nullable ByteBuf undo(@Nullable ByteBuf message, Throwable failure) {
    if (message != null) {
      message.release();
    }
    rollbackMessage();
    if (failure instanceof Error e) {
      throw e;
    }
    return null;
  }

  private void fail(Call call, Throwable t) {
    logFailure(call, t);
    if (t instanceof ExportTable.TooManyReferencesException && ++limitViolations > MAX_LIMIT_VIOLATIONS) {
      // Twisted's text for the violation that closes the connection (pb.Broker.registerReference).
      sendError(call, new PbApplicationException(t.getMessage() + "  Goodbye."));
      protocolViolation("too many references: Maximum PB reference count exceeded. Goodbye.");
      return;
    }
    sendError(call, t);
  }

  private void sendError(Call call, Throwable t) {
    if (!call.answerRequired || state != State.OPEN) {
      return;
    }
    if (outgoing.isEncoding()) {
      deferredSends.add(() -> sendError(call, t)); // as in answer
      return;
    }
    ByteBuf buf = outgoing.start();
    ByteBuf message;
    try {
      encoder.writeListHeader(buf, 3);
      encoder.writeBytes(buf, BrokerCommand.ERROR.wire);
      encoder.encode(call.requestId, buf);
      jellier.jelly(Failures.toCopyable(t, options.unsafeTracebacks()), buf);
      message = outgoing.copyForTransport(buf);
    } catch (RuntimeException e) {
      logger.error("[conn {}] cannot encode the failure of {}; closing", id, call.describe(), e);
      close();
      return;
    } finally {
      outgoing.end(buf);
    }
    send(message);
    runDeferredSends();
  }

  private void logFailure(Call call, Throwable t) {
    if (t instanceof PbApplicationException || t instanceof NoSuchRemoteMethodException
        || t instanceof JellyException || t instanceof Failures.MissingAttributeException
        || t instanceof io.github.pb4j.cred.LoginFailedException) {
      logger.debug("[conn {}] call {} failed: {}", id, call.describe(), t.toString());
    } else {
      logger.warn("[conn {}] remote method {} threw; the caller receives the failure", id, call.describe(), t);
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  // ---------------------------------------------------------------- calling

  CompletableFuture<@Nullable Object> callRemote(
      RemoteReference ref, String method, List<?> args, Map<String, ?> kwargs, boolean answerRequired) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(kwargs, "kwargs");
    CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
    if (executor.inEventLoop()) {
      sendCall(ref, method, args, kwargs, answerRequired, result);
    } else if (!runOnLoop(() -> sendCall(ref, method, args, kwargs, answerRequired, result))) {
      result.completeExceptionally(dead(ref));
    }
    return result;
  }

  private DeadReferenceException dead(RemoteReference ref) {
    return new DeadReferenceException(ref.luid(), "calling a dead reference: " + ref
        + (state == State.CLOSED ? " (connection lost)" : " (released)"));
  }

  private void sendCall(RemoteReference ref, String method, List<?> args, Map<String, ?> kwargs,
      boolean answerRequired, CompletableFuture<@Nullable Object> result) {
    RemoteReference.Holder holder = ref.holder();
    if (state == State.CLOSED || (holder != null && holder.released)) {
      result.completeExceptionally(dead(ref));
      return;
    }
    if (state == State.AWAITING_DIALECT) {
      awaitingHandshake.add(() -> sendCall(ref, method, args, kwargs, answerRequired, result));
      return;
    }
    if (outgoing.isEncoding()) {
      // A call made by code the jellier runs (stateToCopyFor calling the peer): sent right after
      // the message being encoded, checked again then.
      deferredSends.add(() -> sendCall(ref, method, args, kwargs, answerRequired, result));
      return;
    }
    sendMessage(BrokerCommand.MESSAGE, holder == null ? ExportTable.ROOT : holder.luid, method, args, kwargs,
        answerRequired, result);
  }

  private void sendMessage(BrokerCommand command, Object objectId, String method, List<?> args,
      Map<String, ?> kwargs, boolean answerRequired, CompletableFuture<@Nullable Object> result) {
    int requestId = nextRequestId++;
    ByteBuf buf = outgoing.start();
    ByteBuf message = null;
    RuntimeException failure = null;
    beginMessage();
    try {
      if (command == BrokerCommand.MESSAGE) {
        buf.writeBytes(messageHeader);
      } else {
        writeHeader(buf, command);
      }
      encoder.writeInt(buf, requestId);
      if (objectId instanceof Integer luid) {
        encoder.writeInt(buf, luid);
      } else if (objectId == ExportTable.ROOT) {
        buf.writeBytes(rootId);
      } else {
        encoder.writeBytes(buf, (ByteString) objectId);
      }
      writeMethodName(buf, method);
      encoder.writeInt(buf, answerRequired ? 1 : 0);
      jellier.jellyTuple(args, buf);
      if (kwargs.isEmpty()) {
        buf.writeBytes(emptyDict);
      } else {
        jellier.jelly(kwargs, buf);
      }
      message = outgoing.copyForTransport(buf);
      commitMessage();
    } catch (RuntimeException | Error e) {
      message = undo(message, e);
      failure = (RuntimeException) e;
    } finally {
      outgoing.end(buf);
    }
    if (message == null) {
      result.completeExceptionally(Objects.requireNonNull(failure));
    } else {
      if (answerRequired) {
        pending.put(requestId, result);
      } else {
        result.complete(null);
      }
      send(message);
    }
    runDeferredSends();
  }

  private void writeMethodName(ByteBuf buf, String method) {
    if (!method.equals(lastMethod)) {
      lastMethodBytes = encoded(b -> encoder.writeUtf8(b, method));
      lastMethod = method;
    }
    buf.writeBytes(lastMethodBytes);
  }

  // ---------------------------------------------------------------- paging

  /** Registers a page producer; pages flow while the transport is writable. Twisted's {@code registerPageProducer}. */
  public void registerPageProducer(PageProducer producer) {
    Objects.requireNonNull(producer, "producer");
    runOnLoop(() -> pageProducers.add(producer));
  }

  /**
   * Tells the broker the transport takes output again: page producers resume and {@link
   * #whenWritable} futures complete. The transport calls it when it becomes writable again.
   */
  public void resumeProducing() {
    runOnLoop(() -> {
      pageProducers.schedule();
      if (!writableWaiters.isEmpty() && state != State.CLOSED && sink.isWritable()) {
        List<CompletableFuture<@Nullable Void>> waiters = new ArrayList<>(writableWaiters);
        writableWaiters.clear();
        waiters.forEach(w -> w.complete(null));
      }
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
      } else if (sink.isWritable()) {
        result.complete(null);
      } else {
        writableWaiters.add(result);
      }
    });
    if (!queued) {
      result.completeExceptionally(new ConnectionLostException("connection lost: executor gone", null));
    }
    return result;
  }

  // ---------------------------------------------------------------- the message being written, caches

  private void beginMessage() {
    exports.begin();
    caches.begin();
  }

  private void commitMessage() {
    exports.commit();
    caches.commit();
  }

  private void rollbackMessage() {
    exports.rollback();
    caches.rollback();
  }

  /** Returns true while the dialect is agreed and the connection open. */
  boolean isOpen() {
    return state == State.OPEN;
  }

  /** Sends {@code [command, luid]} ({@code decache}, {@code uncache}) if the connection is open. */
  void sendCacheCommand(BrokerCommand command, int luid) {
    if (state != State.OPEN) {
      return;
    }
    ByteBuf buf = sink.alloc().buffer(8);
    encoder.writeListHeader(buf, 2);
    encoder.writeBytes(buf, command.wire);
    encoder.writeInt(buf, luid);
    send(buf);
  }

  /**
   * Tells the owner this side no longer needs {@code cache} ({@code decache}, once per copy
   * received); the owner answers {@code uncache}. Does nothing if the cache is not held here.
   */
  public void releaseCache(RemoteCache cache) {
    Objects.requireNonNull(cache, "cache");
    runOnLoop(() -> caches.release(cache));
  }

  /** Returns the number of caches this side has copied to the peer. Visible for testing. */
  public int exportedCacheCount() {
    checkThread();
    return caches.exportedCount();
  }

  /** Returns the number of copies this side holds. Visible for testing. */
  public int heldCacheCount() {
    checkThread();
    return caches.heldCount();
  }

  CompletableFuture<@Nullable Object> callCache(
      RemoteCacheObserver observer, String method, List<?> args, Map<String, ?> kwargs, boolean answerRequired) {
    Objects.requireNonNull(method, "method");
    CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
    Runnable task = new Runnable() {
      @Override
      public void run() {
        if (!caches.isObserving(observer)) {
          result.completeExceptionally(new DeadReferenceException(observer.luid(),
              "calling a cache observer that stopped observing: " + observer));
          return;
        }
        if (outgoing.isEncoding()) {
          deferredSends.add(this); // as in sendCall
          return;
        }
        sendMessage(BrokerCommand.CACHEMESSAGE, observer.luid(), method, args, kwargs, answerRequired, result);
      }
    };
    if (!runOnLoop(task)) {
      result.completeExceptionally(new DeadReferenceException(observer.luid(), "connection gone: " + observer));
    }
    return result;
  }

  // ---------------------------------------------------------------- references

  /** Releases one imported reference: one {@code decref} per occurrence received. On the loop. */
  void release(RemoteReference.Holder holder) {
    if (holder.released) {
      return;
    }
    holder.released = true;
    int count = holder.count;
    holder.count = 0;
    ImportEntry entry = imports.get(holder.luid);
    if (entry != null && entry.holder() == holder) {
      imports.remove(holder.luid);
    }
    if (state != State.OPEN) {
      return;
    }
    for (int i = 0; i < count; i++) {
      ByteBuf buf = sink.alloc().buffer(8);
      encoder.writeListHeader(buf, 2);
      encoder.writeBytes(buf, BrokerCommand.DECREF.wire);
      encoder.writeInt(buf, holder.luid);
      send(buf);
    }
  }

  /** Called from the cleaner thread when a reference became unreachable. */
  void releaseLater(RemoteReference.Holder holder) {
    runOnLoop(() -> release(holder));
  }

  void watchDisconnect(RemoteReference ref) {
    watchedReferences.add(ref);
  }

  void unwatchDisconnect(RemoteReference ref) {
    watchedReferences.remove(ref);
  }

  private RemoteReference importReference(int luid) {
    ImportEntry entry = imports.get(luid);
    RemoteReference ref = entry == null ? null : entry.ref().get();
    if (ref != null && !entry.holder().released) {
      entry.holder().count++;
      return ref;
    }
    RemoteReference.Holder holder = new RemoteReference.Holder(this, luid);
    holder.count = 1;
    ref = RemoteReference.imported(this, holder);
    imports.put(luid, new ImportEntry(new WeakReference<>(ref), holder));
    return ref;
  }

  /** Exports a view point and forgets it when the peer releases it. */
  private final class ExportedViewPoint extends ViewPoint implements ExportTable.ReleaseListener {
    ExportedViewPoint(Object perspective, Viewable viewable) {
      super(perspective, viewable);
    }

    @Override
    public void released() {
      viewPoints.remove(this);
    }
  }

  /** Jellies and unjellies this connection's flavours. */
  private final class FlavorExtension implements JellyExtension {
    @Override
    public boolean jelly(Object value, Jellier out) {
      if (value instanceof RemoteReference ref) {
        if (ref.broker() != Broker.this) {
          throw new PbProtocolException("cannot send " + ref + " over connection " + id
              + ": PB has no third-party references (a reference only goes back to its owner)");
        }
        out.writeListHeader(2);
        out.writeBytes(LOCAL);
        if (ref.isRoot()) {
          out.writeBytes(ExportTable.ROOT);
        } else {
          out.writeInt((Integer) ref.luid());
        }
        return true;
      }
      if (value instanceof Failures.CopyableFailure failure) {
        out.writeCopy(failure, Failures.COPYABLE_FAILURE, failure.state());
        return true;
      }
      if (value instanceof Cacheable cacheable) {
        caches.jelly(cacheable, out, currentPerspective);
        return true;
      }
      if (value instanceof RemoteCache cache) {
        caches.jellyHeld(cache, out);
        return true;
      }
      if (value instanceof Viewable viewable) {
        Object perspective = currentPerspective;
        ViewPoint key = new ExportedViewPoint(perspective == null ? NO_PERSPECTIVE : perspective, viewable);
        ViewPoint vp = viewPoints.computeIfAbsent(key, k -> k);
        MethodTable.of(viewable.getClass());
        writeRemote(out, exports.export(vp));
        return true;
      }
      if (value instanceof Referenceable) {
        Object target = value instanceof PerspectiveAdapter a ? a.avatar() : value;
        MethodTable.of(target.getClass());
        writeRemote(out, exports.export(value));
        return true;
      }
      if (value instanceof Copyable copyable) {
        out.writeCopy(copyable, ByteString.utf8(copyable.copyTypeName()),
            copyable.stateToCopyFor(currentPerspective));
        return true;
      }
      return false;
    }

    private void writeRemote(Jellier out, int luid) {
      out.writeListHeader(2);
      out.writeBytes(REMOTE);
      out.writeInt(luid);
    }

    @Override
    public @Nullable Object unjelly(ByteString tag, List<?> expression, Unjellier in) {
      if (tag.equals(REMOTE)) {
        if (expression.size() != 2 || !(expression.get(1) instanceof Integer luid)) {
          throw new JellyException("remote: " + abbreviate(expression) + " (expected: [b'remote', luid])");
        }
        return importReference(luid);
      }
      if (tag.equals(LOCAL)) {
        if (expression.size() != 2) {
          throw new JellyException("local: " + abbreviate(expression) + " (expected: [b'local', luid])");
        }
        Object local = exports.lookup(expression.get(1));
        if (local == null) {
          if (decodingAnswer) {
            // The owner may forget an object (the peer's decref) while an answer naming it is on
            // its way: Twisted reads None then, and so do we, rather than lose the connection.
            return null;
          }
          // In call arguments a stale or guessed id is refused: a typed parameter never sees null
          // for an object it was promised.
          throw new JellyException("local reference to unknown object " + abbreviate(expression.get(1))
              + " (expected: an object this connection was given)");
        }
        if (local instanceof ViewPoint vp) {
          return vp.viewable;
        }
        if (local instanceof PerspectiveAdapter adapter) {
          return adapter.avatar();
        }
        return local;
      }
      Object cache = caches.unjelly(tag, expression, in);
      if (cache != NOT_HANDLED) {
        return cache;
      }
      if (tag.equals(Failures.COPYABLE_FAILURE)) {
        if (expression.size() != 2) {
          throw new JellyException("failure: " + abbreviate(expression) + " (expected: [type, state])");
        }
        return Failures.fromState(in.unjellyChild(expression.get(1)));
      }
      return NOT_HANDLED;
    }
  }

  /** The perspective of view points sent outside any avatar's call (Twisted's {@code None}). */
  private static final Object NO_PERSPECTIVE = new Object() {
    @Override
    public String toString() {
      return "None";
    }
  };

  // ---------------------------------------------------------------- plumbing

  private void send(ByteBuf buf) {
    if (logger.isTraceEnabled()) {
      logger.trace(">> [conn {}] {}", id, describeOutgoing(buf));
    }
    sink.write(buf);
    if (inReceive) {
      needsFlush = true;
    } else {
      sink.flush();
    }
  }

  private String describeOutgoing(ByteBuf buf) {
    try {
      Object sexp = new BananaDecoder(options.bananaLimits(), encoder.dialect()).decode(buf.duplicate());
      return sexp == null ? "(incomplete)" : frameLog.render(sexp, true);
    } catch (RuntimeException e) {
      return io.netty.buffer.ByteBufUtil.hexDump(buf);
    }
  }

  void protocolViolation(String reason) {
    logger.warn("[conn {}] closing connection: {}", id, reason);
    if (closeCause == null) {
      closeCause = new PbProtocolException(reason);
    }
    markClosed();
    sink.close();
  }

  /** Runs {@code task} on the connection's executor: now if already there. Returns false if the executor is gone. */
  boolean runOnLoop(Runnable task) {
    if (executor.inEventLoop()) {
      task.run();
      return true;
    }
    try {
      executor.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      logger.debug("[conn {}] executor gone; task dropped", id);
      return false;
    }
  }

  void runCallback(Runnable callback, String what) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      logger.warn("[conn {}] {} threw", id, what, e);
    }
  }

  private void checkThread() {
    if (!executor.inEventLoop()) {
      throw new IllegalStateException("must be called on the connection's executor");
    }
  }

  static String abbreviate(@Nullable Object sexp) {
    String s = sexp == null ? "None" : SexpFormatter.format(sexp);
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  @Override
  public String toString() {
    return "Broker[conn " + id + ", " + (server ? "server" : "client") + ", " + state + "]";
  }
}
