package io.github.pb4j.paging;

import io.github.pb4j.RemoteReference;
import io.github.pb4j.banana.ByteString;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Pages a byte sequence in chunks (8 KiB by default). Java form of Twisted's {@code StringPager}:
 * an empty sequence is one empty page, as in Twisted.
 */
public final class BytesPager extends Pager {
  /** Twisted's default chunk size. */
  public static final int DEFAULT_CHUNK_SIZE = 8192;

  private final ByteString data;
  private final int chunkSize;
  private int position;

  public BytesPager(RemoteReference collector, ByteString data) {
    this(collector, data, DEFAULT_CHUNK_SIZE, null);
  }

  public BytesPager(RemoteReference collector, ByteString data, int chunkSize, @Nullable Runnable callback) {
    super(collector, callback);
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize: " + chunkSize + " (expected: >= 1)");
    }
    this.data = Objects.requireNonNull(data, "data");
    this.chunkSize = chunkSize;
    start();
  }

  @Override
  protected Object nextPage() {
    int end = Math.min(data.size(), position + chunkSize);
    byte[] page = new byte[Math.max(0, end - position)];
    for (int i = 0; i < page.length; i++) {
      page[i] = data.byteAt(position + i);
    }
    position += chunkSize;
    if (position >= data.size()) {
      stopPaging();
    }
    return ByteString.of(page);
  }
}
