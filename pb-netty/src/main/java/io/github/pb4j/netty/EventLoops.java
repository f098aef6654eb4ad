package io.github.pb4j.netty;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The event loop group a {@link PbServer} or {@link PbClient} runs on: the user's, which is left
 * running; one made for it and shut down when it closes; or, for clients, the {@link
 * SharedEventLoopGroup}, released when it closes.
 *
 * <p><em>Thread-safe.</em>
 */
final class EventLoops {
  /** How long {@code close()} waits, and how long shutting down an owned group may take. */
  static final long CLOSE_TIMEOUT_SECONDS = 10;

  /** Who ends the group. */
  private enum Owner {
    USER,
    THIS,
    SHARED
  }

  final EventLoopGroup group;
  final Transport transport;
  private final Owner owner;
  private final AtomicBoolean shutDown = new AtomicBoolean();

  private EventLoops(EventLoopGroup group, Transport transport, Owner owner) {
    this.group = group;
    this.transport = transport;
    this.owner = owner;
  }

  /** Returns {@code given} if not null, else the {@link SharedEventLoopGroup}, acquired. */
  static EventLoops forClient(@Nullable EventLoopGroup given) {
    if (given != null) {
      return new EventLoops(given, Transport.of(given), Owner.USER);
    }
    EventLoopGroup shared = SharedEventLoopGroup.acquire();
    return new EventLoops(shared, Transport.of(shared), Owner.SHARED);
  }

  /** Returns {@code group}, a group of {@link Transport#LOCAL} loops its caller shuts down. */
  static EventLoops local(EventLoopGroup group) {
    return new EventLoops(group, Transport.LOCAL, Owner.USER);
  }

  /**
   * Returns {@code given} if not null, else a new group of the best transport with {@code threads}
   * threads (0: Netty's default) named {@code threadNamePrefix}.
   */
  static EventLoops of(
      @Nullable EventLoopGroup given, int threads, String threadNamePrefix, boolean daemon) {
    if (given != null) {
      return new EventLoops(given, Transport.of(given), Owner.USER);
    }
    Transport best = Transport.best();
    return new EventLoops(best.newGroup(threads, threadNamePrefix, daemon), best, Owner.THIS);
  }

  /**
   * Shuts the group down if it was made here, or releases the shared group; the future completes
   * when that is done. Only the first call does anything.
   */
  CompletableFuture<@Nullable Void> shutDown() {
    if (owner == Owner.USER || !shutDown.compareAndSet(false, true)) {
      return CompletableFuture.completedFuture(null);
    }
    if (owner == Owner.SHARED) {
      return SharedEventLoopGroup.release(group);
    }
    CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
    group.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .addListener(f -> done.complete(null));
    return done;
  }

  /**
   * Starts {@code closeAsync} and waits up to {@link #CLOSE_TIMEOUT_SECONDS} for it, logging a
   * failure or timeout as {@code failureMessage}: the body of {@code close()}.
   *
   * @throws IllegalStateException if called on one of the group's event loops, where waiting would
   *     deadlock: the close is started, but {@code closeAsync()} is the method to use there
   */
  void closeAndWait(
      Supplier<CompletableFuture<@Nullable Void>> closeAsync,
      String owner,
      Logger logger,
      String failureMessage) {
    if (Transport.inEventLoopOf(group)) {
      closeAsync.get();
      throw new IllegalStateException(
          "close() called on the " + owner + "'s event loop; use closeAsync()");
    }
    await(closeAsync.get(), logger, failureMessage);
  }

  /**
   * Starts {@code closeAsync}; waits up to {@link #CLOSE_TIMEOUT_SECONDS} for it, unless called on
   * one of the group's event loops, where waiting would deadlock: there the close goes on after
   * this returns. The body of {@link PbClient#close()}, which is safe on any thread.
   */
  void closeAndWaitUnlessOnLoop(
      Supplier<CompletableFuture<@Nullable Void>> closeAsync,
      Logger logger,
      String failureMessage) {
    CompletableFuture<@Nullable Void> closing = closeAsync.get();
    if (Transport.inEventLoopOf(group)) {
      logger.debug("close() on an event loop: closing without waiting");
      return;
    }
    await(closing, logger, failureMessage);
  }

  private static void await(
      CompletableFuture<@Nullable Void> closing, Logger logger, String failureMessage) {
    try {
      closing.get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      logger.warn(failureMessage, e);
    }
  }
}
