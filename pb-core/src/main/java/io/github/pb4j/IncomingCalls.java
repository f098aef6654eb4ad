package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.JellyException;
import io.github.pb4j.jelly.internal.JellyReader;
import io.github.pb4j.jelly.TypeMismatchException;
import io.github.pb4j.jelly.Unjellier;
import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls the peer makes to this side's objects: finds the target, picks the method by the
 * target's flavour ({@code remote_}, {@code perspective_}, {@code view_}, {@code observe_}), binds
 * the arguments to its Java signature, invokes it, and answers with its result or failure. Java
 * form of Twisted's {@code Broker._recvMessage} and {@code Referenceable.remoteMessageReceived}.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor (results of asynchronous
 * methods hop back onto it).
 */
final class IncomingCalls {
  private static final Logger logger = LoggerFactory.getLogger(Broker.class);
  /** Twisted closes a connection at the fourth reference-limit violation. */
  private static final int MAX_LIMIT_VIOLATIONS = 3;
  /**
   * Failed calls logged at WARN per connection; later ones at DEBUG, so that a peer that makes
   * bad calls in a loop cannot flood the log.
   */
  static final int MAX_LOGGED_FAILURES = 100;
  private static final ByteString LOGIN = ByteString.ascii("login");
  private static final ByteString RESPOND = ByteString.ascii("respond");

  private final Broker broker;
  private final MessageWriter writer;
  private final ExportTable exports;
  private final CacheTables caches;
  private final Unjellier unjellier;
  private int limitViolations;
  private int loggedFailures;
  /** The remote method running now (it may have called into another), for error messages. */
  private @Nullable RemoteMethod running;

  private enum Stage { BINDING, RUNNING, ANSWERING }
  /** Calls received and not yet answered; reading pauses at {@link BrokerOptions#maxCallsInProgress}. */
  private int inProgress;
  private boolean readingPaused;

  /** One incoming call being served. */
  private static final class Call {
    final Object requestId;
    final ByteString method;
    final boolean answerRequired;
    /** When it arrived ({@link System#nanoTime}), if observed. */
    final long received;
    @Nullable Object perspective;
    @Nullable RemoteMethod target;
    /** What failed: the call before the method ran, the method, or the sending of its result. */
    Stage stage = Stage.BINDING;
    boolean finished;

    Call(Object requestId, ByteString method, boolean answerRequired, long received) {
      this.requestId = requestId;
      this.method = method;
      this.answerRequired = answerRequired;
      this.received = received;
    }

    String describe() {
      return target != null ? target.toString() : method.toStringUtf8();
    }
  }

  IncomingCalls(Broker broker, MessageWriter writer, ExportTable exports, CacheTables caches, Unjellier unjellier) {
    this.broker = broker;
    this.writer = writer;
    this.exports = exports;
    this.caches = caches;
    this.unjellier = unjellier;
  }

  /** A call to an exported object; see {@link MessageReader.Handler#message}. */
  void message(Object requestId, Object objectId, ByteString method, boolean answerRequired,
      @Nullable Object args, @Nullable Object kwargs, boolean jellied) {
    Call call = start(requestId, method, answerRequired);
    Object target = exports.lookup(objectId);
    if (target == null) {
      fail(call, new PbApplicationException("Invalid Object ID"));
      return;
    }
    dispatch(call, target, args, kwargs, jellied);
  }

  /**
   * Returns a value read in one pass with its references resolved, each as the unjellier resolves
   * {@code [b'remote', luid]} (same reference per luid, one count per occurrence) or {@code
   * [b'local', luid]} (an unknown luid fails the call).
   */
  private @Nullable Object resolved(@Nullable Object value) {
    if (value instanceof JellyReader.WithReferences pending) {
      return pending.resolve((tag, luid) -> unjellier.unjelly(List.of(tag, luid)));
    }
    return value;
  }

  /** Counts a call in; past the limit, stops reading from the peer until one is answered. */
  private Call start(Object requestId, ByteString method, boolean answerRequired) {
    PbObserver observer = broker.observer;
    long received = 0;
    if (observer != PbObserver.NONE) {
      received = System.nanoTime();
      observer.callReceived(broker);
    }
    if (++inProgress >= broker.options().maxCallsInProgress() && !readingPaused) {
      readingPaused = true;
      logger.debug("[conn {}] paused reading: {} calls in progress", broker.connectionId(), inProgress);
      broker.pauseReading(true);
    }
    return new Call(requestId, method, answerRequired, received);
  }

  /** Counts a call out, once: answered, failed, or done. */
  private void finish(Call call, boolean failed) {
    if (call.finished) {
      return;
    }
    call.finished = true;
    if (--inProgress < broker.options().maxCallsInProgress() && readingPaused) {
      readingPaused = false;
      logger.debug("[conn {}] resumed reading", broker.connectionId());
      broker.pauseReading(false);
    }
    PbObserver observer = broker.observer;
    if (observer != PbObserver.NONE) {
      observer.callServed(broker, System.nanoTime() - call.received, failed);
    }
  }

  /** A call to a cache copy held here; see {@link MessageReader.Handler#cacheMessage}. */
  void cacheMessage(Object requestId, Object cacheId, ByteString method, boolean answerRequired,
      Object args, Object kwargs) {
    Call call = start(requestId, method, answerRequired);
    RemoteCache held = caches.held(cacheId);
    if (held == null && caches.holds(cacheId)) {
      // This side dropped the copy and its decache is on its way: the update has nobody to reach.
      // Its arguments are read all the same, so that references in them are counted and released.
      try {
        unjellier.unjelly(args);
        unjellier.unjelly(kwargs);
      } catch (JellyException e) {
        fail(call, e);
        return;
      }
      answer(call, null);
      return;
    }
    if (held == null) {
      fail(call, new JellyException("builtins.KeyError", Sexps.abbreviate(cacheId), null));
      return;
    }
    dispatch(call, held, args, kwargs, true);
  }

  /** Unjellies the arguments if needed (separately, as Twisted does) and calls the method. */
  private void dispatch(Call call, Object exported, @Nullable Object rawArgs, @Nullable Object rawKwargs,
      boolean jellied) {
    List<?> args;
    Map<String, ?> kwargs;
    try {
      args = RemoteMethod.argumentList(jellied ? unjellier.unjelly(rawArgs) : resolved(rawArgs));
      kwargs = keywordArguments(jellied ? unjellier.unjelly(rawKwargs) : resolved(rawKwargs));
    } catch (JellyException e) {
      fail(call, e);
      return;
    }
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
      Object[] bound = method.bind(args, kwargs, call.perspective);
      call.stage = Stage.RUNNING;
      RemoteMethod outer = running;
      running = method;
      try {
        result = method.invoke(target, bound);
      } finally {
        running = outer;
      }
    } catch (Throwable t) {
      if (Failures.isFatal(t)) {
        broker.fatalError(call.describe(), t);
        throw (Error) t;
      }
      fail(call, t);
      return;
    }
    if (result instanceof CompletionStage<?> stage) {
      stage.whenComplete((value, error) -> broker.runOnLoop(() -> {
        if (error != null && Failures.isFatal(unwrap(error))) {
          broker.fatalError(call.describe(), unwrap(error));
        } else if (error != null) {
          fail(call, unwrap(error));
        } else {
          answer(call, value);
        }
      }));
    } else {
      answer(call, result);
    }
  }

  /** Returns the remote method running now on this connection, or null. */
  @Nullable String running() {
    RemoteMethod m = running;
    return m == null ? null : m.toString();
  }

  private static Map<String, ?> keywordArguments(@Nullable Object kwargs) {
    if (!(kwargs instanceof Map<?, ?> map)) {
      throw new TypeMismatchException("keyword arguments: " + Sexps.abbreviate(kwargs) + " (expected: dict)");
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

  // ---------------------------------------------------------------- answering

  private void answer(Call call, @Nullable Object value) {
    finish(call, false);
    if (!call.answerRequired || !broker.isOpen()) {
      return;
    }
    if (writer.isEncoding()) {
      // Made by code the jellier runs (a stateToCopyFor completing a future): sent right after
      // the message being encoded, which the jellier and the export journal are busy with.
      writer.defer(() -> answer(call, value));
      return;
    }
    ByteBuf message;
    try {
      message = writer.encodeAnswer(call.requestId, value, call.perspective);
    } catch (RuntimeException | Error e) {
      if (Failures.isFatal(e)) {
        broker.fatalError("the encoding of the answer of " + call.describe(), e);
        throw e;
      }
      // The method ran; what it returned cannot be sent: a bug of the application's, not the caller's.
      call.stage = Stage.ANSWERING;
      fail(call, e);
      writer.sendDeferred();
      return;
    }
    writer.send(message);
    writer.sendDeferred();
  }

  private void fail(Call call, Throwable t) {
    finish(call, true);
    logFailure(call, t);
    if (t instanceof ExportTable.TooManyReferencesException && ++limitViolations > MAX_LIMIT_VIOLATIONS) {
      // Twisted's text for the violation that closes the connection (pb.Broker.registerReference).
      sendError(call, new PbApplicationException(t.getMessage() + "  Goodbye."));
      broker.protocolViolation("too many references: Maximum PB reference count exceeded. Goodbye.");
      return;
    }
    sendError(call, t);
  }

  private void sendError(Call call, Throwable t) {
    if (!call.answerRequired || !broker.isOpen()) {
      return;
    }
    if (writer.isEncoding()) {
      writer.defer(() -> sendError(call, t)); // as in answer
      return;
    }
    ByteBuf message;
    try {
      message = writer.encodeError(call.requestId, Failures.toCopyable(t, broker.options().unsafeTracebacks()));
    } catch (RuntimeException | Error e) {
      // The failure's own message or stack trace is application code, and may throw.
      if (Failures.isFatal(e)) {
        broker.fatalError("the encoding of the failure of " + call.describe(), e);
        throw e;
      }
      logger.error("[conn {}] cannot encode the failure of {}; closing", broker.connectionId(), call.describe(), e);
      broker.close();
      return;
    }
    writer.send(message);
    writer.sendDeferred();
  }

  /**
   * Logs a failure the peer is about to receive, as Twisted logs "Peer will receive following PB
   * traceback": at WARN, with the connection, the method and what failed (the argument or the
   * part of the result, by path), so that the program's author sees what its peer sees. Expected
   * errors are logged at DEBUG: {@link PbApplicationException} (Twisted's {@code pb.Error}, which
   * Twisted does not log either) and refused logins (a wrong password is not a bug). Failures
   * the peer caused (bad arguments, unknown methods) are logged without a stack trace; what the
   * method threw, with it. The arguments of PB login are never logged.
   */
  private void logFailure(Call call, Throwable t) {
    boolean expected = t instanceof PbApplicationException || t instanceof io.github.pb4j.cred.LoginFailedException;
    broker.observer.error(broker, expected || call.stage == Stage.BINDING
        ? PbObserver.ErrorKind.BAD_CALL : PbObserver.ErrorKind.APPLICATION);
    if (t instanceof PbApplicationException || t instanceof io.github.pb4j.cred.LoginFailedException
        || !logger.isWarnEnabled() || (loggedFailures >= MAX_LOGGED_FAILURES && !(t instanceof Error))) {
      if (logger.isDebugEnabled()) {
        logger.debug("[{}] call {} failed: {}", connection(), call.describe(), text(call, t));
      }
      return;
    }
    String more = ++loggedFailures == MAX_LOGGED_FAILURES
        ? " (" + MAX_LOGGED_FAILURES + " failed calls on this connection: further ones are logged at DEBUG)" : "";
    String text = text(call, t);
    switch (call.stage) {
      case BINDING ->
          logger.warn("[{}] call of {} refused{}; peer will receive following PB traceback: {}",
              connection(), call.describe(), more, text);
      case ANSWERING -> {
        if (t instanceof io.github.pb4j.banana.PbException) {
          logger.warn("[{}] the result of {} cannot be sent{}; peer will receive following PB traceback: {}",
              connection(), call.describe(), more, text);
        } else { // thrown by application code the jellier ran (a stateToCopyFor): where, is in the stack
          logger.warn("[{}] the result of {} cannot be sent{}; peer will receive following PB traceback",
              connection(), call.describe(), more, t);
        }
      }
      case RUNNING -> {
        if (t instanceof Error) {
          logger.error("[{}] remote method {} threw an Error{}; peer will receive following PB traceback",
              connection(), call.describe(), more, t);
        } else {
          logger.warn("[{}] remote method {} threw{}; peer will receive following PB traceback",
              connection(), call.describe(), more, t);
        }
      }
    }
  }

  /** The failure as logged: its type and text, but never a value sent to PB login. */
  private static String text(Call call, Throwable t) {
    if (call.method.equals(RESPOND) || call.method.equals(LOGIN)) {
      return t.getClass().getName() + " (" + FrameLog.HIDDEN + ")";
    }
    return t.getClass().getName() + ": " + t.getMessage();
  }

  /** The connection, for the log: its id and, when the transport knows it, the peer's address. */
  private String connection() {
    return broker.remoteAddress().map(a -> "conn " + broker.connectionId() + " from " + a)
        .orElseGet(() -> "conn " + broker.connectionId());
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
