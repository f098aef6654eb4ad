package io.github.pb4j;

import io.github.pb4j.cred.LoginDeniedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Shares a server's login capacity (its checkers' and realm's work) fairly between remote addresses
 * and connections, so that a flood of logins slows its sender and nobody else.
 *
 * <p>Each connection has a {@link Lane}. A login runs at once if its connection has fewer than
 * {@link #PER_CONNECTION} logins running, its address fewer than {@link #PER_ADDRESS}, and its
 * connection none waiting; else it waits in its connection's queue (logins that arrive together on
 * a connection, e.g. pipelined, run in order as earlier ones finish). When a login of an address
 * finishes, the next waiting login of that address starts, taking the connections of the address in
 * turn. A connection with {@link #MAX_WAITING} logins waiting has the next refused with {@link
 * LoginDeniedException}; logins still waiting when it closes fail with {@link
 * ConnectionLostException}.
 *
 * <p>So however many logins one address sends, at most {@link #PER_ADDRESS} of them occupy the
 * checker at a time, and another address's login finds room in the checker's queue. Connections
 * without an address each count as an address of their own.
 *
 * <p><em>Thread-safe:</em> shared by the connections of a server, on their event loops. A waiting
 * login starts on the event loop of its connection.
 */
final class LoginGate {
  /** Logins run at once per connection. */
  static final int PER_CONNECTION = 2;

  /** Logins run at once per remote address, over all its connections. */
  static final int PER_ADDRESS = 4;

  /**
   * Logins that may wait per connection: as many as the challengers a peer may hold at once with
   * default options ({@link BrokerOptions#DEFAULT_MAX_BROKER_REFS}), so a client that pipelines
   * within its reference budget always waits, never fails.
   */
  static final int MAX_WAITING = BrokerOptions.DEFAULT_MAX_BROKER_REFS;

  private final Object lock = new Object();
  private final Map<Object, Group> groups = new HashMap<>(); // Guarded by lock; only busy ones.

  /**
   * Returns the lane of one connection, grouped with those of the same {@code address} (a key
   * with value equality; null: a group of its own).
   */
  Lane lane(@Nullable Object address, Executor executor) {
    return new Lane(address, executor);
  }

  /** The logins of one address: how many run, and its connections with logins waiting. */
  private static final class Group {
    int running;
    final ArrayDeque<Lane> ready = new ArrayDeque<>();
  }

  /** A login waiting for its turn. */
  private record Waiting(Runnable start, CompletableFuture<?> result) {}

  /** A login to start on an executor. */
  private record Start(Executor executor, Runnable start) {}

  /** The logins of one connection. */
  final class Lane {
    private final Object groupKey;
    private final Executor executor;
    /** Made for the first login that waits: most never do. Guarded by lock. */
    private @Nullable ArrayDeque<Waiting> waiting;
    private int running; // Guarded by lock.
    private boolean closed; // Guarded by lock.

    private Lane(@Nullable Object address, Executor executor) {
      this.groupKey = address == null ? this : address;
      this.executor = executor;
    }

    /**
     * Runs {@code login} now or when its turn comes; returns a future of its result. {@code login}
     * must return a future that completes, whatever happens, so that the next login can start.
     */
    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> login) {
      synchronized (lock) {
        if (closed) {
          return CompletableFuture.failedFuture(
              new ConnectionLostException("connection lost before login", null));
        }
        Group group = groups.get(groupKey);
        if (group == null) {
          group = new Group();
          groups.put(groupKey, group);
        }
        ArrayDeque<Waiting> waiting = this.waiting;
        if ((waiting == null || waiting.isEmpty()) && running < PER_CONNECTION
            && group.running < PER_ADDRESS) {
          running++;
          group.running++;
        } else if (waiting != null && waiting.size() >= MAX_WAITING) {
          return CompletableFuture.failedFuture(new LoginDeniedException(
              "too many logins in progress on this connection, try again later"));
        } else {
          if (waiting == null) {
            waiting = this.waiting = new ArrayDeque<>(2);
          }
          if (waiting.isEmpty()) {
            group.ready.add(this);
          }
          CompletableFuture<T> result = new CompletableFuture<>();
          waiting.add(new Waiting(() -> run(login, result), result));
          return result;
        }
      }
      CompletableFuture<T> result = new CompletableFuture<>();
      run(login, result);
      return result;
    }

    /** Fails the logins still waiting: the connection is gone. */
    void close() {
      List<Waiting> dropped;
      synchronized (lock) {
        closed = true;
        dropped = waiting == null ? List.of() : new ArrayList<>(waiting);
        waiting = null;
        Group group = groups.get(groupKey);
        if (group != null) {
          group.ready.remove(this);
          removeIfIdle(group);
        }
      }
      var lost = new ConnectionLostException("connection lost before login", null);
      dropped.forEach(w -> w.result().completeExceptionally(lost));
    }

    private <T> void run(Supplier<CompletableFuture<T>> login, CompletableFuture<T> result) {
      CompletableFuture<T> attempt;
      try {
        attempt = login.get();
      } catch (RuntimeException | Error e) {
        attempt = CompletableFuture.failedFuture(e);
      }
      attempt.whenComplete((value, failure) -> {
        finished();
        if (failure != null) {
          result.completeExceptionally(failure);
        } else {
          result.complete(value);
        }
      });
    }

    /** Frees this login's slot and starts the next logins of the address, connections in turn. */
    private void finished() {
      @Nullable List<Start> starts = null;
      synchronized (lock) {
        running--;
        Group group = groups.get(groupKey);
        if (group == null) {
          return; // Cannot happen: a running login keeps its group.
        }
        group.running--;
        int passed = 0;
        while (group.running < PER_ADDRESS && passed < group.ready.size()) {
          Lane lane = group.ready.poll();
          if (lane.running < PER_CONNECTION) {
            lane.running++;
            group.running++;
            if (starts == null) {
              starts = new ArrayList<>(2);
            }
            starts.add(new Start(lane.executor, lane.nextWaiting().start()));
            passed = 0;
          } else {
            passed++;
          }
          if (lane.hasWaiting()) {
            group.ready.add(lane);
          }
        }
        removeIfIdle(group);
      }
      if (starts == null) {
        return;
      }
      for (Start start : starts) {
        try {
          start.executor().execute(start.start());
        } catch (RejectedExecutionException e) {
          start.start().run(); // The event loop is shutting down; the login fails fast.
        }
      }
    }

    // Only lanes with a login waiting are in a group's ready queue. Guarded by lock.
    private Waiting nextWaiting() {
      return Objects.requireNonNull(waiting).poll();
    }

    private boolean hasWaiting() {
      return waiting != null && !waiting.isEmpty();
    }

    private void removeIfIdle(Group group) {
      if (group.running == 0 && group.ready.isEmpty()) {
        groups.remove(groupKey);
      }
    }
  }
}
