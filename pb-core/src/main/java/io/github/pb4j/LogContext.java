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
 * otherwise two or three map operations on the MDC. Nothing is allocated: the values are the
 * broker's, made once.
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

  private static final FastThreadLocal<@Nullable Broker> CURRENT = new FastThreadLocal<>();

  private LogContext() {}

  /**
   * Makes {@code broker} the current connection of this thread; returns the one that was current
   * (or null), to hand to {@link #exit}.
   */
  public static @Nullable Broker enter(Broker broker) {
    Broker previous = CURRENT.get();
    if (previous != broker) {
      CURRENT.set(broker);
      put(broker);
    }
    return previous;
  }

  /** Restores the context {@link #enter} returned. */
  public static void exit(@Nullable Broker previous) {
    Broker current = CURRENT.get();
    if (current == previous) {
      return;
    }
    CURRENT.set(previous);
    if (previous == null) {
      MDC.remove(CONNECTION);
      MDC.remove(PEER);
      MDC.remove(AVATAR);
    } else {
      put(previous);
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
    if (CURRENT.get() == broker) {
      putAvatar(broker);
    }
  }

  /** Returns {@code address} as {@code host:port} (an IP literal), or null. */
  static @Nullable String describe(@Nullable SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return address == null ? null : address.toString();
  }

  private static void put(Broker broker) {
    MDC.put(CONNECTION, broker.idText);
    String peer = broker.peerText();
    if (peer != null) {
      MDC.put(PEER, peer);
    } else {
      MDC.remove(PEER);
    }
    putAvatar(broker);
  }

  private static void putAvatar(Broker broker) {
    String avatar = broker.avatar;
    if (avatar != null) {
      MDC.put(AVATAR, avatar);
    } else {
      MDC.remove(AVATAR);
    }
  }
}
