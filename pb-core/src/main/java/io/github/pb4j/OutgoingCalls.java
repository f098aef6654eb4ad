package io.github.pb4j;

import io.github.pb4j.jelly.JellyException;
import io.github.pb4j.jelly.Unjellier;
import io.github.pb4j.jelly.internal.JellyReader;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls this side makes: request ids, the table of calls awaiting an answer, and the calls
 * made before the handshake is over, sent once it is. Java form of Twisted's {@code
 * Broker._sendMessage} and {@code waitingForAnswers}.
 *
 * <p>A call that ends without its answer (deadline, cancellation) leaves the table at once; its
 * answer, if it comes, is late: dropped quietly, and the references and cache copies it carries
 * are released at once (one {@code decref} / {@code decache} each), so that neither side keeps
 * anything for it. PB has no message to cancel a call, so nothing is sent when one ends early.
 *
 * <p>{@link #call} may be used from any thread (it hops onto the executor); everything else is
 * confined to the connection's executor.
 */
final class OutgoingCalls {
  private static final Logger logger = LoggerFactory.getLogger(Broker.class);

  /**
   * The probe's target: an object id no PB peer hands out (Twisted's and pb4j's luids are
   * positive, the root is {@code b'root'}), so the peer answers {@code Invalid Object ID} at once.
   */
  static final int PROBE_OBJECT_ID = -1;

  /** The probe's method name; the peer never looks it up. */
  static final String PROBE_METHOD = "pb4j_probe";

  private final Broker broker;
  private final MessageWriter writer;
  private final Flavors flavors;
  private final Unjellier unjellier;
  /** By {@link #slot} of the request id. */
  /** Calls awaiting their answers; made for the first call, as a server may never call. */
  private @Nullable IntObjectHashMap<PendingCall> pending;
  private final List<Runnable> awaitingHandshake = new ArrayList<>();
  private int nextRequestId = 1;

  OutgoingCalls(Broker broker, MessageWriter writer, Flavors flavors, Unjellier unjellier) {
    this.broker = broker;
    this.writer = writer;
    this.flavors = flavors;
    this.unjellier = unjellier;
  }

  /** Calls {@code method} on {@code ref}'s object; see {@link RemoteReference#callRemote}. */
  CompletableFuture<@Nullable Object> call(RemoteReference ref, CallOptions callOptions, String method,
      List<?> args, Map<String, ?> kwargs, boolean answerRequired) {
    Objects.requireNonNull(callOptions, "callOptions");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(kwargs, "kwargs");
    PendingCall result = new PendingCall(this, broker, method);
    if (answerRequired && !startDeadline(result, callOptions.effectiveTimeout(broker.options()))) {
      result.completeExceptionally(dead(ref));
      return result;
    }
    if (broker.executor().inEventLoop()) {
      sendCall(ref, method, args, kwargs, answerRequired, result);
    } else if (!broker.runOnLoop(() -> sendCall(ref, method, args, kwargs, answerRequired, result))) {
      result.completeExceptionally(dead(ref));
    }
    return result;
  }

  /** Starts the call's deadline, if it has one; returns false if the executor is gone. */
  private boolean startDeadline(PendingCall call, java.time.Duration timeout) {
    if (timeout.isZero()) {
      return true;
    }
    try {
      call.deadline(broker.executor().schedule(() -> {
        call.completeExceptionally(new TimeoutException("call to " + call.method + " not answered within "
            + timeout.toMillis() + " ms"));
      }, timeout.toNanos(), TimeUnit.NANOSECONDS));
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    } catch (UnsupportedOperationException e) {
      throw new IllegalStateException("the broker's executor cannot schedule the call's deadline;"
          + " use one that can, or no deadline", e);
    }
  }

  /** Forgets {@code call}, which ended (answered, timed out, cancelled); from any thread. */
  void ended(PendingCall call) {
    if (broker.executor().inEventLoop()) {
      forget(call);
    } else {
      broker.runOnLoop(() -> forget(call));
    }
  }

  private void forget(PendingCall call) {
    int id = call.requestId;
    if (id != 0 && pending != null && pending.get(slot(id)) == call) {
      pending.remove(slot(id));
    }
  }

  private DeadReferenceException dead(RemoteReference ref) {
    return new DeadReferenceException(ref.luid(), "calling a dead reference: " + ref
        + (broker.isConnected() ? " (released)" : " (connection lost)"));
  }

  private void sendCall(RemoteReference ref, String method, List<?> args, Map<String, ?> kwargs,
      boolean answerRequired, PendingCall result) {
    if (result.isDone()) {
      return; // timed out or cancelled before it could be sent: nothing goes out
    }
    RemoteReference.Holder holder = ref.holder();
    if (!broker.isConnected() || (holder != null && holder.released)) {
      result.completeExceptionally(dead(ref));
      return;
    }
    if (!broker.isOpen()) {
      awaitingHandshake.add(() -> sendCall(ref, method, args, kwargs, answerRequired, result));
      return;
    }
    if (writer.isEncoding()) {
      // A call made by code the jellier runs (stateToCopyFor calling the peer): sent right after
      // the message being encoded, checked again then.
      writer.defer(() -> sendCall(ref, method, args, kwargs, answerRequired, result));
      return;
    }
    send(BrokerCommand.MESSAGE, holder == null ? ExportTable.ROOT : holder.luid, method, args, kwargs,
        answerRequired, result);
  }

  /** Calls {@code method} on the cache copy {@code observer} observes ({@code cachemessage}). */
  CompletableFuture<@Nullable Object> callCache(RemoteCacheObserver observer, CacheTables caches,
      String method, List<?> args, Map<String, ?> kwargs, boolean answerRequired) {
    Objects.requireNonNull(method, "method");
    PendingCall result = new PendingCall(this, broker, method);
    if (answerRequired && !startDeadline(result, broker.options().callTimeout())) {
      result.completeExceptionally(new DeadReferenceException(observer.luid(), "connection gone: " + observer));
      return result;
    }
    Runnable task = new Runnable() {
      @Override
      public void run() {
        if (result.isDone()) {
          return;
        }
        if (!caches.isObserving(observer)) {
          result.completeExceptionally(new DeadReferenceException(observer.luid(),
              "calling a cache observer that stopped observing: " + observer));
          return;
        }
        if (writer.isEncoding()) {
          writer.defer(this); // as in sendCall
          return;
        }
        send(BrokerCommand.CACHEMESSAGE, observer.luid(), method, args, kwargs, answerRequired, result);
      }
    };
    if (!broker.runOnLoop(task)) {
      result.completeExceptionally(new DeadReferenceException(observer.luid(), "connection gone: " + observer));
    }
    return result;
  }

  private void send(BrokerCommand command, Object objectId, String method, List<?> args,
      Map<String, ?> kwargs, boolean answerRequired, PendingCall result) {
    int requestId = nextRequestId++;
    ByteBuf message;
    try {
      message = writer.encodeCall(command, requestId, objectId, method, answerRequired, args, kwargs);
    } catch (RuntimeException | Error e) {
      if (Failures.isFatal(e)) {
        broker.fatalError("the encoding of a call to " + method, e);
        throw e;
      }
      result.completeExceptionally(e);
      writer.sendDeferred();
      return;
    }
    PbObserver observer = broker.observer;
    if (answerRequired) {
      result.requestId = requestId;
      if (pending == null) {
        pending = new IntObjectHashMap<>();
      }
      pending.put(slot(requestId), result);
      if (observer != PbObserver.NONE) {
        observe(observer, result);
      }
    } else {
      result.complete(null);
    }
    writer.send(message);
    observer.callSent(broker);
    writer.sendDeferred();
  }

  /** Reports the call's latency and the pending count; only when observed, so free otherwise. */
  private void observe(PbObserver observer, CompletableFuture<@Nullable Object> result) {
    long sent = System.nanoTime();
    observer.pendingCallsChanged(broker, 1);
    result.whenComplete((value, error) -> {
      observer.pendingCallsChanged(broker, -1);
      observer.callAnswered(broker, System.nanoTime() - sent, error != null);
      if (error instanceof RemoteFailureException) {
        observer.error(broker, PbObserver.ErrorKind.REMOTE_FAILURE);
      }
    });
  }

  /**
   * Completes the call {@code requestId} with the peer's answer or error; {@code body} is jellied
   * unless it was read in one pass.
   */
  void result(int requestId, @Nullable Object body, boolean jellied, boolean error) {
    String what = error ? "error" : "answer";
    PendingCall future = pending == null ? null : pending.remove(slot(requestId));
    if (future == null) {
      if (requestId > 0 && requestId < nextRequestId) {
        late(requestId, body, jellied, what);
      } else {
        broker.protocolViolation(what + " to unknown request id " + requestId);
      }
      return;
    }
    Object value = body;
    if (body instanceof JellyReader.WithReferences pending) {
      // Read in one pass with references in it: imported now that the call is known, as the
      // unjellier imports them in an answer.
      value = pending.resolve((tag, luid) -> flavors.unjellyAnswer(unjellier, List.of(tag, luid)));
    } else if (jellied) {
      try {
        value = flavors.unjellyAnswer(unjellier, Objects.requireNonNull(body));
      } catch (JellyException e) {
        // Twisted drops the connection and never fires the call; we fail the call as well.
        future.completeExceptionally(new ConnectionLostException("undecodable " + what + ": " + e.getMessage(), e));
        broker.protocolViolation("undecodable " + what + ": " + e.getMessage());
        return;
      }
    }
    if (error) {
      future.completeExceptionally(Failures.fromBody(value));
    } else {
      future.complete(value);
    }
  }

  /**
   * Drops the answer to a call that ended without it (deadline, cancellation), releasing what it
   * carries: the peer counted each reference and cache copy in it as held by this side.
   */
  private void late(int requestId, @Nullable Object body, boolean jellied, String what) {
    logger.debug("[conn {}] late {} to request {} dropped", broker.connectionId(), what, requestId);
    if (body instanceof JellyReader.WithReferences pending) {
      // Read in one pass: only its references are to give back.
      pending.resolve((tag, luid) -> {
        flavors.discardAnswer(unjellier, List.of(tag, luid));
        return null;
      });
      return;
    }
    if (!jellied || body == null) {
      return; // read in one pass: plain data, nothing to release
    }
    try {
      flavors.discardAnswer(unjellier, body);
    } catch (JellyException e) {
      broker.protocolViolation("undecodable late " + what + ": " + e.getMessage());
    }
  }

  /**
   * Sends the dead-peer probe: a call to {@link #PROBE_OBJECT_ID}, which any PB peer answers at
   * once with an error, running and logging nothing. Its answer is dropped like any other; what
   * counts is that bytes arrive. Returns false if it could not be sent now.
   */
  boolean probe() {
    if (!broker.isOpen() || writer.isEncoding()) {
      return false;
    }
    PendingCall probe = new PendingCall(this, broker, PROBE_METHOD);
    send(BrokerCommand.MESSAGE, PROBE_OBJECT_ID, PROBE_METHOD, List.of(), Map.of(), true, probe);
    return true;
  }

  /** Sends the calls made before the handshake was over. */
  void handshakeDone() {
    runQueued();
  }

  /** Fails every call awaiting an answer with {@code lost}; queued calls fail as dead. */
  void connectionLost(ConnectionLostException lost) {
    IntObjectHashMap<PendingCall> awaiting = pending;
    pending = null;
    if (awaiting != null) {
      List<PendingCall> calls = new ArrayList<>(awaiting.values());
      calls.sort(java.util.Comparator.comparingInt(c -> c.requestId));
      for (PendingCall f : calls) {
        f.completeExceptionally(lost);
      }
    }
    runQueued();
  }

  private void runQueued() {
    List<Runnable> queued = new ArrayList<>(awaitingHandshake);
    awaitingHandshake.clear();
    queued.forEach(Runnable::run);
  }

  /**
   * The key of request {@code id} in {@link #pending}: request ids are consecutive, and the map
   * (open addressing, linear probing) would keep the calls awaiting answers in one run of slots,
   * which each removal scans to its end; spread, removals stay short however many calls wait.
   * Multiplying by an odd number is one-to-one.
   */
  private static int slot(int id) {
    return id * 0x9E3779B9;
  }

  int pendingCount() {
    return pending == null ? 0 : pending.size();
  }
}
