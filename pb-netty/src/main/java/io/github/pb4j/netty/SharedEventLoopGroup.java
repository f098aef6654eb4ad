package io.github.pb4j.netty;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The event loop group that clients share when they are not given one: one daemon thread per CPU,
 * made when the first client is built and shut down when the last one is closed, so a program with
 * hundreds of clients has a handful of threads, and one whose clients are all closed has none.
 *
 * <p><em>Thread-safe.</em>
 */
final class SharedEventLoopGroup {
  static final String THREAD_NAME_PREFIX = "pb-client";

  private static final Object lock = new Object();
  private static @Nullable EventLoopGroup group; // Guarded by lock.
  private static int users; // Guarded by lock.

  private SharedEventLoopGroup() {}

  /** Returns the shared group, made if no client holds it; give it back with {@link #release}. */
  static EventLoopGroup acquire() {
    synchronized (lock) {
      EventLoopGroup g = group;
      if (g == null) {
        g = Transport.best().newGroup(threads(), THREAD_NAME_PREFIX, true);
        group = g;
      }
      users++;
      return g;
    }
  }

  /**
   * Gives back one {@link #acquire}; the last one shuts the group down. The future completes when
   * that is done, or at once if other clients still hold the group.
   */
  static CompletableFuture<@Nullable Void> release(EventLoopGroup released) {
    synchronized (lock) {
      if (released != group || users == 0) {
        throw new IllegalStateException("not the shared group, or released too often");
      }
      users--;
      if (users > 0) {
        return CompletableFuture.completedFuture(null);
      }
      group = null;
    }
    CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
    released
        .shutdownGracefully(0, EventLoops.CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .addListener(f -> done.complete(null));
    return done;
  }

  /** The number of threads of the group: one per CPU the JVM may use. */
  static int threads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** Returns the group while a client holds it, else null; for tests. */
  static @Nullable EventLoopGroup current() {
    synchronized (lock) {
      return group;
    }
  }
}
