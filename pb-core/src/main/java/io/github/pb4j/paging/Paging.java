package io.github.pb4j.paging;

import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.banana.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Client helpers for paged results: Java form of Twisted's {@code pb.util.getAllPages}. */
public final class Paging {
  private Paging() {}

  /**
   * Calls {@code method} with a new {@link CallbackPageCollector} as first argument, followed by
   * {@code args}, and returns a future of every page the remote pager sends. A {@code null}
   * varargs array is one {@code None} argument, as in {@link RemoteReference#callRemote}.
   *
   * <p>The future fails if the call fails, and with {@link ConnectionLostException} if the
   * connection ends before paging does.
   */
  public static CompletableFuture<List<@Nullable Object>> getAllPages(
      RemoteReference ref, String method, @Nullable Object... args) {
    List<@Nullable Object> positional = args == null ? Arrays.asList((Object) null) : Arrays.asList(args);
    return getAllPages(ref, method, positional, Map.of());
  }

  /**
   * Calls {@code method} with a new {@link CallbackPageCollector} as first argument, followed by
   * {@code args}, and the keyword arguments {@code kwargs}; returns a future of every page the
   * remote pager sends. Twisted's {@code getAllPages(referenceable, methodName, *args, **kw)}.
   *
   * <p>The future fails if the call fails, and with {@link ConnectionLostException} if the
   * connection ends before paging does.
   */
  public static CompletableFuture<List<@Nullable Object>> getAllPages(
      RemoteReference ref, String method, List<?> args, Map<String, ?> kwargs) {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(kwargs, "kwargs");
    CallbackPageCollector collector = new CallbackPageCollector();
    List<@Nullable Object> all = new ArrayList<>(args.size() + 1);
    all.add(collector);
    all.addAll(args);
    CompletableFuture<List<@Nullable Object>> pages = collector.pages();
    // The pager's pages and its end arrive as calls on the collector; when the connection ends
    // first, they never will.
    Consumer<RemoteReference> lost = r -> pages.completeExceptionally(
        new ConnectionLostException("connection lost before paging ended", null));
    ref.notifyOnDisconnect(lost);
    pages.whenComplete((v, e) -> ref.dontNotifyOnDisconnect(lost));
    ref.callRemoteWithKeywords(method, all, kwargs).whenComplete((v, e) -> {
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
