package io.github.pb4j.paging;

import io.github.pb4j.RemoteReference;
import io.github.pb4j.banana.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pages a file or stream, reading one chunk per page as the connection can take it, so the whole
 * file is never in memory. Java form of Twisted's {@code FilePager} (which reads through a {@code
 * FileSender}); an empty file sends no page, only {@code endedPaging}, as in Twisted.
 *
 * <p>Reads happen on the connection's event loop, one chunk at a time: suited to local files. The
 * stream is closed when paging ends.
 */
public final class FilePager extends Pager {
  /** The chunk size of Twisted's {@code FileSender}, which its {@code FilePager} reads through. */
  public static final int DEFAULT_CHUNK_SIZE = 16 * 1024;

  private static final Logger logger = LoggerFactory.getLogger(FilePager.class);

  private final InputStream in;
  private final byte[] buffer;

  public FilePager(RemoteReference collector, Path file, @Nullable Runnable callback) throws IOException {
    this(collector, Files.newInputStream(file), DEFAULT_CHUNK_SIZE, callback);
  }

  public FilePager(RemoteReference collector, InputStream in, int chunkSize, @Nullable Runnable callback) {
    super(collector, callback);
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize: " + chunkSize + " (expected: >= 1)");
    }
    this.in = Objects.requireNonNull(in, "in");
    this.buffer = new byte[chunkSize];
    start();
  }

  @Override
  protected @Nullable Object nextPage() {
    try {
      int n = in.readNBytes(buffer, 0, buffer.length);
      if (n < buffer.length) {
        stopPaging();
        close();
      }
      return n == 0 ? null : ByteString.of(Arrays.copyOf(buffer, n));
    } catch (IOException e) {
      stopPaging();
      close();
      throw new UncheckedIOException("reading a paged file", e);
    }
  }

  private void close() {
    try {
      in.close();
    } catch (IOException e) {
      logger.debug("closing a paged file failed", e);
    }
  }
}
