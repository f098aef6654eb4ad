package io.github.pb4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link MessageSink} that keeps each written message as a hex dump (releasing the
 * buffer) and counts flushes and closes; for tests that check what a broker or writer sends.
 * Thread-safe.
 */
public final class RecordingSink implements MessageSink {
  private final List<String> written = new CopyOnWriteArrayList<>();
  private final AtomicInteger flushes = new AtomicInteger();
  private final AtomicInteger closes = new AtomicInteger();

  /** The messages written so far, in order, as lowercase hex. */
  public List<String> written() {
    return written;
  }

  /** How many times {@link #flush()} was called. */
  public int flushes() {
    return flushes.get();
  }

  /** How many times {@link #close()} was called. */
  public int closes() {
    return closes.get();
  }

  @Override
  public ByteBufAllocator alloc() {
    return UnpooledByteBufAllocator.DEFAULT;
  }

  @Override
  public void write(ByteBuf message) {
    try {
      written.add(ByteBufUtil.hexDump(message));
    } finally {
      message.release();
    }
  }

  @Override
  public void flush() {
    flushes.incrementAndGet();
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }
}
