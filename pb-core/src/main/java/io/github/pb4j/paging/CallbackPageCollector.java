package io.github.pb4j.paging;

import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Collects pages sent by a remote pager and completes a future with them all when paging ends.
 * Java form of Twisted's {@code CallbackPageCollector}. <em>Not thread-safe;</em> called on the
 * connection's event loop.
 */
public final class CallbackPageCollector implements Referenceable {
  private final List<@Nullable Object> pages = new ArrayList<>();
  private final CompletableFuture<List<@Nullable Object>> done = new CompletableFuture<>();

  /** Receives one page. */
  @Remote
  public void gotPage(@Nullable Object page) {
    pages.add(page);
  }

  /** Ends paging: the future completes with every page, in order. */
  @Remote
  public void endedPaging() {
    done.complete(new ArrayList<>(pages));
  }

  /** Returns a future of all pages, complete when the pager ends. */
  public CompletableFuture<List<@Nullable Object>> pages() {
    return done.copy();
  }
}
