package io.github.pb4j;

import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts the connection a thread works for into SLF4J's MDC, so that every log line written meanwhile
 * names it: {@value #CONNECTION} (the connection id), {@value #PEER} (the peer's address) and,
 * once a login succeeded on the connection, {@value #AVATAR} (the avatar id). The transport enters
 * the context around each event of a connection, the broker around each task it runs for one.
 *
 * <pre>{@code
 * Broker previous = LogContext.enter(broker);
 * try {
 *   ...
 * } finally {
 *   LogContext.exit(previous);
 * }
 * }</pre>
 *
 * <p>A program can use it too, to log from a callback that runs outside pb4j's own work for the
 * connection, such as the completion of a future:
 * {@code LogContext.run(broker, () -> logger.info("done"))}.
 *
 * <p>Entering the context of the connection that is already current costs a thread-local read;
 * otherwise one MDC operation per key the connection has (two before a login), and as many to
 * leave it. Nothing of pb4j's is allocated: the values are the broker's, made once. Code that
 * clears the MDC itself ({@code MDC.clear()}) while pb4j works for a connection loses the keys
 * until pb4j next enters the context (at the latest, the connection's next read burst).
 *
 * <p><em>Thread-safe</em>: the context is per thread.
 */
public final class LogContext {
  /** MDC key of the connection id. */
  public static final String CONNECTION = "pb.conn";
  /** MDC key of the peer's address. */
  public static final String PEER = "pb.peer";
  /** MDC key of the avatar id, after a login. */
  public static final String AVATAR = "pb.avatar";

  private static final FastThreadLocal<State> STATE =
      new FastThreadLocal<>() {
        @Override
        protected State initialValue() {
          return new State();
        }
      };

  /** A thread's current connection, and which of its keys the MDC holds. */
  private static final class State {
    @Nullable Broker current;
    boolean peer;
    boolean avatar;
  }

  private LogContext() {}

  /**
   * Makes {@code broker} the current connection of this thread; returns the one that was current
   * (or null), to hand to {@link #exit}.
   */
  public static @Nullable Broker enter(Broker broker) {
    State state = STATE.get();
    Broker previous = state.current;
    if (previous != broker) {
      state.current = broker;
      put(state, broker);
    }
    return previous;
  }

  /** Restores the context {@link #enter} returned. */
  public static void exit(@Nullable Broker previous) {
    State state = STATE.get();
    if (state.current == previous) {
      return;
    }
    state.current = previous;
    if (previous == null) {
      MDC.remove(CONNECTION);
      if (state.peer) {
        MDC.remove(PEER);
        state.peer = false;
      }
      if (state.avatar) {
        MDC.remove(AVATAR);
        state.avatar = false;
      }
    } else {
      put(state, previous);
    }
  }

  /** Runs {@code task} in the context of {@code broker}. */
  public static void run(Broker broker, Runnable task) {
    Broker previous = enter(broker);
    try {
      task.run();
    } finally {
      exit(previous);
    }
  }

  /** Updates the avatar of {@code broker} in the MDC if it is this thread's current connection. */
  public static void avatarChanged(Broker broker) {
    State state = STATE.get();
    if (state.current == broker) {
      putAvatar(state, broker);
    }
  }

  /** Returns {@code address} as {@code host:port} (an IP literal), or null. */
  static @Nullable String describe(@Nullable SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return address == null ? null : address.toString();
  }

  /** Puts the keys of {@code broker} into the MDC; removes those it lacks that are there. */
  private static void put(State state, Broker broker) {
    MDC.put(CONNECTION, broker.idText);
    String peer = broker.peerText();
    if (peer != null) {
      MDC.put(PEER, peer);
      state.peer = true;
    } else if (state.peer || MDC.get(PEER) != null) {
      // Ours, or one a copied or inherited MDC brought: never another connection's.
      MDC.remove(PEER);
      state.peer = false;
    }
    putAvatar(state, broker);
  }

  private static void putAvatar(State state, Broker broker) {
    String avatar = broker.avatar;
    if (avatar != null) {
      MDC.put(AVATAR, avatar);
      state.avatar = true;
    } else if (state.avatar || MDC.get(AVATAR) != null) {
      MDC.remove(AVATAR);
      state.avatar = false;
    }
  }
}
