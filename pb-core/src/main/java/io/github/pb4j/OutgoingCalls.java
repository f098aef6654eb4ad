package io.github.pb4j;

import io.github.pb4j.jelly.JellyException;
import io.github.pb4j.jelly.Unjellier;
import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The calls this side makes: request ids, the table of calls awaiting an answer, and the calls
 * made before the handshake is over, sent once it is. Java form of Twisted's {@code
 * Broker._sendMessage} and {@code waitingForAnswers}.
 *
 * <p>{@link #call} may be used from any thread (it hops onto the executor); everything else is
 * confined to the connection's executor.
 */
final class OutgoingCalls {
  private final Broker broker;
  private final MessageWriter writer;
  private final Flavors flavors;
  private final Unjellier unjellier;
  private final IntObjectHashMap<CompletableFuture<@Nullable Object>> pending = new IntObjectHashMap<>();
  private final List<Runnable> awaitingHandshake = new ArrayList<>();
  private int nextRequestId = 1;

  OutgoingCalls(Broker broker, MessageWriter writer, Flavors flavors, Unjellier unjellier) {
    this.broker = broker;
    this.writer = writer;
    this.flavors = flavors;
    this.unjellier = unjellier;
  }

  /** Calls {@code method} on {@code ref}'s object; see {@link RemoteReference#callRemote}. */
  CompletableFuture<@Nullable Object> call(
      RemoteReference ref, String method, List<?> args, Map<String, ?> kwargs, boolean answerRequired) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(kwargs, "kwargs");
    CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
    if (broker.executor().inEventLoop()) {
      sendCall(ref, method, args, kwargs, answerRequired, result);
    } else if (!broker.runOnLoop(() -> sendCall(ref, method, args, kwargs, answerRequired, result))) {
      result.completeExceptionally(dead(ref));
    }
    return result;
  }

  private DeadReferenceException dead(RemoteReference ref) {
    return new DeadReferenceException(ref.luid(), "calling a dead reference: " + ref
        + (broker.isConnected() ? " (released)" : " (connection lost)"));
  }

  private void sendCall(RemoteReference ref, String method, List<?> args, Map<String, ?> kwargs,
      boolean answerRequired, CompletableFuture<@Nullable Object> result) {
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
    CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
    Runnable task = new Runnable() {
      @Override
      public void run() {
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
      Map<String, ?> kwargs, boolean answerRequired, CompletableFuture<@Nullable Object> result) {
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
      pending.put(requestId, result);
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
    CompletableFuture<@Nullable Object> future = pending.remove(requestId);
    if (future == null) {
      broker.protocolViolation(what + " to unknown request id " + requestId);
      return;
    }
    Object value = body;
    if (jellied) {
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

  /** Sends the calls made before the handshake was over. */
  void handshakeDone() {
    runQueued();
  }

  /** Fails every call awaiting an answer with {@code lost}; queued calls fail as dead. */
  void connectionLost(ConnectionLostException lost) {
    List<CompletableFuture<@Nullable Object>> calls = new ArrayList<>(pending.values());
    pending.clear();
    for (CompletableFuture<@Nullable Object> f : calls) {
      f.completeExceptionally(lost);
    }
    runQueued();
  }

  private void runQueued() {
    List<Runnable> queued = new ArrayList<>(awaitingHandshake);
    awaitingHandshake.clear();
    queued.forEach(Runnable::run);
  }

  int pendingCount() {
    return pending.size();
  }
}
