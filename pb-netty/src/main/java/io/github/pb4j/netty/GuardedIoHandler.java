package io.github.pb4j.netty;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an event loop alive whatever its I/O work throws. Netty's I/O handlers rethrow an {@link
 * Error} (an {@link OutOfMemoryError} in a read, or one thrown again while a handler reported the
 * first), which ends the event loop's thread for good: its connections are never read again nor
 * closed, so their memory is never freed, and a server whose loops are all gone accepts TCP
 * connections it never serves. This wrapper reports the error and lets the loop go on to its
 * tasks and its next round of I/O.
 *
 * <p><em>Not thread-safe;</em> confined to its event loop, as the handler it wraps.
 */
final class GuardedIoHandler implements IoHandler {
  private static final Logger logger = LoggerFactory.getLogger(GuardedIoHandler.class);

  private final IoHandler delegate;

  private GuardedIoHandler(IoHandler delegate) {
    this.delegate = delegate;
  }

  /** Returns a factory of guarded handlers made by {@code factory}. */
  static IoHandlerFactory wrap(IoHandlerFactory factory) {
    return new IoHandlerFactory() {
      @Override
      public IoHandler newHandler(ThreadAwareExecutor executor) {
        return new GuardedIoHandler(factory.newHandler(executor));
      }

      @Override
      public boolean isChangingThreadSupported() {
        return factory.isChangingThreadSupported();
      }
    };
  }

  @Override
  public int run(IoHandlerContext context) {
    try {
      return delegate.run(context);
    } catch (Throwable t) {
      report(t);
      return 0;
    }
  }

  /** Logs {@code t}; even that may fail when memory is short, and must not end the loop either. */
  private static void report(Throwable t) {
    try {
      logger.error("event loop I/O failed; the loop goes on", t);
    } catch (Throwable ignored) {
      // Nothing more can be done: the loop survives, which matters more than the log line.
    }
  }

  @Override
  public void initialize() {
    delegate.initialize();
  }

  @Override
  public void prepareToDestroy() {
    delegate.prepareToDestroy();
  }

  @Override
  public void destroy() {
    delegate.destroy();
  }

  @Override
  public IoRegistration register(IoHandle handle) throws Exception {
    return delegate.register(handle);
  }

  @Override
  public void wakeup() {
    delegate.wakeup();
  }

  @Override
  public boolean isCompatible(Class<? extends IoHandle> handleType) {
    return delegate.isCompatible(handleType);
  }
}
