package io.github.pb4j.paging;

import io.github.pb4j.RemoteReference;
import io.github.pb4j.banana.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** Client helpers for paged results: Java form of Twisted's {@code pb.util.getAllPages}. */
public final class Paging {
  private Paging() {}

  /**
   * Calls {@code method} with a new {@link CallbackPageCollector} as first argument, followed by
   * {@code args}, and returns a future of every page the remote pager sends.
   */
  public static CompletableFuture<List<@Nullable Object>> getAllPages(
      RemoteReference ref, String method, @Nullable Object... args) {
    CallbackPageCollector collector = new CallbackPageCollector();
    List<@Nullable Object> all = new ArrayList<>();
    all.add(collector);
    if (args != null) {
      all.addAll(java.util.Arrays.asList(args));
    }
    CompletableFuture<@Nullable Object> call = ref.callRemote(method, all, java.util.Map.of());
    CompletableFuture<List<@Nullable Object>> pages = collector.pages();
    call.whenComplete((v, e) -> {
      if (e != null) {
        pages.completeExceptionally(e);
      }
    });
    return pages;
  }

  /** Joins byte-string pages into one byte string. */
  public static ByteString join(List<?> pages) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Object page : pages) {
      if (!(page instanceof ByteString b)) {
        throw new IllegalArgumentException("page: " + page + " (expected: bytes)");
      }
      out.writeBytes(b.toByteArray());
    }
    return ByteString.of(out.toByteArray());
  }
}
