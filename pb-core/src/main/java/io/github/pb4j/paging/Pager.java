package io.github.pb4j.paging;

import io.github.pb4j.Broker;
import io.github.pb4j.RemoteReference;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends pages to a remote collector: {@code gotPage(page)} for each page, then {@code
 * endedPaging()}, all without answers, paced by the connection's writability. Java form of
 * Twisted's {@code pb.util.Pager}; subclasses say what a page is.
 *
 * <p>Pages start flowing as soon as the pager is made. <em>Not thread-safe;</em> the broker calls
 * it on the connection's event loop.
 */
public abstract class Pager implements Broker.PageProducer {
  private static final Logger logger = LoggerFactory.getLogger(Pager.class);

  private final RemoteReference collector;
  private final @Nullable Runnable callback;
  private boolean stillPaging = true;
  private boolean ended;

  /**
   * @param collector the peer's collector (a Twisted {@code CallbackPageCollector} or pb4j's)
   * @param callback runs once paging has ended, or {@code null}
   */
  protected Pager(RemoteReference collector, @Nullable Runnable callback) {
    this.collector = Objects.requireNonNull(collector, "collector");
    this.callback = callback;
  }

  /** Starts sending; subclasses call it at the end of their constructor. */
  protected final void start() {
    collector.broker().registerPageProducer(this);
  }

  /** Returns the next page, or {@code null} if none is ready yet. */
  protected abstract @Nullable Object nextPage();

  /** Marks the last page as sent. */
  protected final void stopPaging() {
    stillPaging = false;
  }

  /** Returns the collector. */
  protected final RemoteReference collector() {
    return collector;
  }

  @Override
  public void sendNextPage() {
    if (ended) {
      return;
    }
    Object page = nextPage();
    if (page != null) {
      collector.callRemoteNoAnswer("gotPage", page);
    }
  }

  @Override
  public boolean stillPaging() {
    if (!stillPaging && !ended) {
      ended = true;
      collector.callRemoteNoAnswer("endedPaging");
      if (callback != null) {
        try {
          callback.run();
        } catch (RuntimeException e) {
          logger.warn("paging callback threw", e);
        }
      }
    }
    return stillPaging;
  }
}
