package io.github.pb4j;

import io.github.pb4j.jelly.internal.TypeCoercion;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A reference to an object on the other side of a connection. Java form of Twisted's {@code
 * pb.RemoteReference}.
 *
 * <p>{@link #callRemote} sends a call and returns a future of its result. Sending this reference
 * back to its owner delivers the owner's original object; sending it over any other connection
 * fails (PB has no third-party references). When the reference is {@link #release() released},
 * or becomes unreachable, the owner is told ({@code decref}, once per reference received, never
 * for the root object).
 *
 * <p><em>Thread-safe:</em> methods may be called from any thread. Futures complete on the
 * connection's event loop; dependent stages that are not {@code async} run there and must not
 * block. Arguments are serialised on the event loop: called from another thread, do not modify a
 * mutable argument (a list, a map) until the call has been sent.
 */
public final class RemoteReference {
  /** Releases references, and copies of caches, the program no longer reaches. */
  static final Cleaner CLEANER = Cleaner.create();

  private final Broker broker;
  private final Object luid;
  private final @Nullable Holder holder;
  private final List<Consumer<RemoteReference>> disconnectCallbacks = new ArrayList<>(1); // Guarded by broker thread.

  /**
   * The count of {@code [b'remote', luid]} occurrences this reference stands for, shared with the
   * cleanup action that must not see the reference itself.
   */
  static final class Holder implements Runnable {
    final Broker broker;
    final int luid;
    int count; // Confined to the broker's thread.
    boolean released; // Confined to the broker's thread.

    Holder(Broker broker, int luid) {
      this.broker = broker;
      this.luid = luid;
    }

    /** Runs on the cleaner thread when the reference became unreachable. */
    @Override
    public void run() {
      broker.releaseLater(this);
    }
  }

  private RemoteReference(Broker broker, Object luid, @Nullable Holder holder) {
    this.broker = broker;
    this.luid = luid;
    this.holder = holder;
  }

  static RemoteReference root(Broker broker) {
    return new RemoteReference(broker, "root", null);
  }

  static RemoteReference imported(Broker broker, Holder holder) {
    RemoteReference ref = new RemoteReference(broker, holder.luid, holder);
    CLEANER.register(ref, holder);
    return ref;
  }

  /** Returns the luid the owner gave this object: an {@link Integer}, or {@code "root"}. */
  public Object luid() {
    return luid;
  }

  /** Returns the connection this reference belongs to. */
  public Broker broker() {
    return broker;
  }

  boolean isRoot() {
    return holder == null;
  }

  @Nullable Holder holder() {
    return holder;
  }

  /** Returns true while the connection is up and the reference has not been released. */
  public boolean isConnected() {
    return broker.isConnected() && (holder == null || !holder.released);
  }

  /**
   * Calls {@code method} without arguments and returns a future of the result.
   *
   * <p>The future fails with {@link RemoteFailureException} if the remote method failed, {@link
   * DeadReferenceException} if the reference is dead, {@link ConnectionLostException} if the
   * connection ends first, {@link java.util.concurrent.TimeoutException} if the connection's
   * default deadline ({@link BrokerOptions#callTimeout()}) passes first, and {@link
   * io.github.pb4j.jelly.JellyException} if an argument cannot be
   * sent (its message says which: {@code (at args[1])}). Do not block on it ({@code join()},
   * {@code get()}) on the connection's event loop, inside a {@link Remote} method for example: the
   * answer is read by that very thread, so pb4j fails such a wait at once with a {@link
   * io.netty.util.concurrent.BlockingOperationException}; return the future instead.
   */
  public CompletableFuture<@Nullable Object> callRemote(String method) {
    return broker.callRemote(this, CallOptions.DEFAULT, method, List.of(), Map.of(), true);
  }

  /**
   * Calls {@code method} with the elements of {@code args} as its positional arguments, as {@link
   * #callRemote(String)} does. A {@code null} array is one {@code None} argument, so that {@code
   * callRemote("f", null)} sends one {@code None} (without javac's varargs warning).
   */
  public CompletableFuture<@Nullable Object> callRemote(String method, @Nullable Object @Nullable [] args) {
    return broker.callRemote(this, CallOptions.DEFAULT, method, argList(args), Map.of(), true);
  }

  /**
   * Calls {@code method} as {@link #callRemote(String, Object[])} does, with {@code options}: a
   * deadline, say ({@code CallOptions.timeout(Duration.ofSeconds(5))}). When it passes, the future
   * fails with {@link java.util.concurrent.TimeoutException}; the peer still runs the call (PB
   * cannot cancel one), and its late answer is dropped, with what it carries released.
   *
   * <p>Cancelling the future, or {@code orTimeout} on it, ends the call the same way.
   */
  public CompletableFuture<@Nullable Object> callRemote(
      CallOptions options, String method, @Nullable Object... args) {
    return broker.callRemote(this, options, method, argList(args), Map.of(), true);
  }

  /**
   * Calls {@code method} with one positional argument, as {@link #callRemote(String)} does. An
   * {@code Object[]}, even cast to {@code Object}, is spread into positional arguments.
   */
  public CompletableFuture<@Nullable Object> callRemote(String method, @Nullable Object arg) {
    return broker.callRemote(this, CallOptions.DEFAULT, method, arg instanceof Object[] array ? argList(array) : Collections.singletonList(arg),
        Map.of(), true);
  }

  /**
   * Calls {@code method} with two or more positional arguments, as {@link #callRemote(String)}
   * does. A {@code null} {@code more} array is one more {@code None} argument.
   */
  public CompletableFuture<@Nullable Object> callRemote(
      String method, @Nullable Object arg1, @Nullable Object arg2, @Nullable Object... more) {
    List<@Nullable Object> args = new ArrayList<>(2 + (more == null ? 1 : more.length));
    args.add(arg1);
    args.add(arg2);
    args.addAll(argList(more));
    return broker.callRemote(this, CallOptions.DEFAULT, method, args, Map.of(), true);
  }

  /**
   * Calls {@code method} with the elements of {@code args} as its positional arguments and the
   * entries of {@code kwargs} as its keyword arguments (Python's {@code f(*args, **kwargs)}).
   *
   * <p>This form has a name of its own so that no call can mean two things: {@code
   * callRemote("f", List.of(1, 2), Map.of("k", 3))} sends a list and a dict as two arguments,
   * {@code callRemoteWithKeywords("f", List.of(1, 2), Map.of("k", 3))} runs {@code f(1, 2, k=3)}.
   */
  public CompletableFuture<@Nullable Object> callRemoteWithKeywords(
      String method, List<?> args, Map<String, ?> kwargs) {
    return broker.callRemote(this, CallOptions.DEFAULT, method, args, kwargs, true);
  }

  /** Calls {@code method} as {@link #callRemoteWithKeywords(String, List, Map)} does, with {@code options}. */
  public CompletableFuture<@Nullable Object> callRemoteWithKeywords(
      CallOptions options, String method, List<?> args, Map<String, ?> kwargs) {
    return broker.callRemote(this, options, method, args, kwargs, true);
  }

  /**
   * Calls {@code method} and converts the result to {@code resultType} with the same rules as
   * remote method arguments; the future fails with {@link io.github.pb4j.jelly.TypeMismatchException}
   * if the result does not fit.
   */
  public <T> CompletableFuture<T> callRemote(Class<T> resultType, String method, @Nullable Object... args) {
    Objects.requireNonNull(resultType, "resultType");
    CompletableFuture<@Nullable Object> call = callRemote(method, args);
    CompletableFuture<T> typed = call.thenApply(v -> castResult(resultType, method, v));
    // Cancelling (or timing out) the typed future ends the call itself, which is then forgotten.
    typed.whenComplete((v, t) -> {
      if (t != null && !call.isDone()) {
        call.completeExceptionally(t);
      }
    });
    return typed;
  }

  @SuppressWarnings("unchecked")
  private static <T> T castResult(Class<T> resultType, String method, @Nullable Object v) {
    return (T) TypeCoercion.coerce(v, resultType, "result of " + method);
  }

  /**
   * Sends a call without asking for an answer (Twisted's {@code pbanswer=False}): nothing comes
   * back, not even an error. The future completes when the call is sent.
   */
  public CompletableFuture<@Nullable Object> callRemoteNoAnswer(String method, @Nullable Object... args) {
    return broker.callRemote(this, CallOptions.DEFAULT, method, argList(args), Map.of(), false);
  }

  private static List<?> argList(@Nullable Object @Nullable [] args) {
    if (args == null) {
      return Arrays.asList((Object) null);
    }
    return Arrays.asList(args);
  }

  /**
   * Runs {@code callback} (with this reference) when the connection is lost. Mirrors {@code
   * notifyOnDisconnect}; runs at once, on the event loop, if the connection is already gone.
   */
  public void notifyOnDisconnect(Consumer<RemoteReference> callback) {
    Objects.requireNonNull(callback, "callback");
    broker.runOnLoop(() -> {
      if (broker.isConnected()) {
        if (disconnectCallbacks.isEmpty()) {
          broker.watchDisconnect(this);
        }
        disconnectCallbacks.add(callback);
      } else {
        callback.accept(this);
      }
    });
  }

  /** Cancels a {@link #notifyOnDisconnect} registration. */
  public void dontNotifyOnDisconnect(Consumer<RemoteReference> callback) {
    broker.runOnLoop(() -> {
      disconnectCallbacks.remove(callback);
      if (disconnectCallbacks.isEmpty()) {
        broker.unwatchDisconnect(this);
      }
    });
  }

  /** Runs the disconnect callbacks; on the broker's thread. */
  void disconnected() {
    for (Consumer<RemoteReference> c : List.copyOf(disconnectCallbacks)) {
      broker.runCallback(() -> c.accept(this), "disconnect callback");
    }
    disconnectCallbacks.clear();
  }

  /**
   * Tells the owner this side no longer needs the object ({@code decref}, once per reference
   * received). Later calls fail with {@link DeadReferenceException}. Does nothing for the root
   * object and when already released.
   */
  public void release() {
    if (holder != null) {
      broker.runOnLoop(() -> broker.release(holder));
    }
  }

  @Override
  public String toString() {
    return "RemoteReference[conn " + broker.connectionId() + ", luid " + luid + "]";
  }
}
