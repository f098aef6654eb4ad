package io.github.pb4j.netty;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An event loop group whose loops survive whatever escapes their work. Netty's I/O handlers
 * rethrow an {@link Error} (an {@link OutOfMemoryError} in a read, or one thrown again while a
 * handler or a task's failure was being reported), which ends the loop's thread for good: its
 * connections are never read again nor closed, so their memory is never freed, and a server whose
 * loops are all gone accepts TCP connections it never serves. Here such an error is logged and the
 * loop goes on with its next round of I/O and tasks.
 *
 * <p><em>Thread-safe.</em>
 */
final class GuardedEventLoopGroup extends MultiThreadIoEventLoopGroup {
  private static final Logger logger = LoggerFactory.getLogger(GuardedEventLoopGroup.class);

  GuardedEventLoopGroup(int threads, ThreadFactory threadFactory, IoHandlerFactory factory) {
    super(threads, threadFactory, factory);
  }

  @Override
  protected IoEventLoop newChild(Executor executor, IoHandlerFactory factory, Object... args) {
    return new GuardedLoop(this, executor, factory);
  }

  /** Logs {@code t}; even that may fail when memory is short, and must not end the loop either. */
  static void report(Throwable t) {
    try {
      logger.error("event loop work failed; the loop goes on", t);
    } catch (Throwable ignored) {
      // Nothing more can be done: the loop survives, which matters more than the log line.
    }
  }

  private static final class GuardedLoop extends SingleThreadIoEventLoop {
    GuardedLoop(GuardedEventLoopGroup group, Executor executor, IoHandlerFactory factory) {
      super(group, executor, factory);
    }

    /** Runs Netty's loop again after an error, until the loop ends normally (on shutdown). */
    @Override
    protected void run() {
      while (true) {
        try {
          super.run();
          return;
        } catch (Throwable t) {
          report(t);
          if (isShuttingDown()) {
            return; // the executor finishes its shutdown
          }
        }
      }
    }
  }
}
