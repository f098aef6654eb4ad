package io.github.pb4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

/**
 * The buffers a broker encodes its calls, answers and errors into. A message is encoded into a
 * heap scratch buffer, then copied in one write into a buffer of the transport's allocator: a
 * message is dozens of small writes, each cheap on a heap array and costly on a pooled direct
 * buffer (on Netty 4.2's adaptive buffers every {@code writeBytes(byte[])} goes through a
 * {@code ByteBuffer} method handle). The last transport buffer is used again once the transport
 * has written and released it, which with sequential calls is every time.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor, as the broker is.
 */
final class OutgoingBuffers {
  /** What a scratch buffer starts with, and the least a transport buffer is made with. */
  private static final int INITIAL_CAPACITY = 512;
  /** The largest scratch buffer kept after a message; a larger one is dropped for a new one. */
  private static final int MAX_SCRATCH_CAPACITY = 64 * 1024;
  /** The largest transport buffer kept for the next message; a larger one goes back to the pool. */
  private static final int MAX_SPARE_CAPACITY = 16 * 1024;

  private final MessageSink sink;
  private ByteBuf scratch = Unpooled.buffer(INITIAL_CAPACITY);
  private boolean scratchBusy;
  /** The last transport buffer, one reference kept by this object. */
  private @Nullable ByteBuf spare;
  /** Set at the end of the connection: no transport buffer is kept after it. */
  private boolean released;

  OutgoingBuffers(MessageSink sink) {
    this.sink = sink;
  }

  /**
   * Returns the heap buffer to encode one message into: the scratch buffer, or a new one if a
   * message is encoded while another is (code the jellier runs sending something). Pair with
   * {@link #end}.
   */
  ByteBuf start() {
    if (scratchBusy) {
      return Unpooled.buffer(INITIAL_CAPACITY);
    }
    scratchBusy = true;
    return scratch.clear();
  }

  /** Returns true while a message is being encoded into the scratch buffer. */
  boolean isEncoding() {
    return scratchBusy;
  }

  /** Returns the readable bytes of {@code encoded} copied into a buffer for the transport. */
  ByteBuf copyForTransport(ByteBuf encoded) {
    int size = encoded.readableBytes();
    ByteBuf message = transportBuffer(size);
    try {
      return message.writeBytes(encoded, encoded.readerIndex(), size);
    } catch (RuntimeException e) {
      message.release();
      throw e;
    }
  }

  /** Ends the use of a buffer from {@link #start}. */
  void end(ByteBuf encoded) {
    if (encoded != scratch) {
      encoded.release();
      return;
    }
    scratchBusy = false;
    if (encoded.capacity() > MAX_SCRATCH_CAPACITY) {
      scratch = Unpooled.buffer(INITIAL_CAPACITY); // a large message does not pin its memory
    }
  }

  /** Gives the kept transport buffer back to its pool; at the end of the connection. */
  void release() {
    released = true;
    ByteBuf b = spare;
    if (b != null) {
      spare = null;
      b.release();
    }
  }

  private ByteBuf transportBuffer(int size) {
    ByteBuf b = spare;
    if (b != null && b.refCnt() == 1 && b.capacity() >= size) {
      return b.clear().retain();
    }
    if (b != null) {
      b.release(); // still queued (the transport frees it once written), or too small
      spare = null;
    }
    b = sink.alloc().buffer(Math.max(size, INITIAL_CAPACITY));
    if (released || b.capacity() > MAX_SPARE_CAPACITY) {
      return b;
    }
    spare = b;
    return b.retain();
  }
}
