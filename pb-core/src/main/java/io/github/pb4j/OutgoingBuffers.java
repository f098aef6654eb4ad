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
 * <p>While {@linkplain #hold holding} (the broker is handling the bytes of one read, and flushes
 * once at its end), finished messages stay in the scratch buffer one after the other, and leave
 * together in one transport buffer ({@link #takeHeld}): a hundred answers to a hundred pipelined
 * calls cost one copy, one buffer and one entry in the transport's queue instead of a hundred. The
 * order of the messages is the order they were finished in.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor, as the broker is.
 */
final class OutgoingBuffers {
  /**
   * What {@link #copyForTransport} returns for a message kept in the scratch buffer: it leaves
   * with {@link #takeHeld}. Never written anywhere; releasing it does nothing.
   */
  static final ByteBuf HELD = Unpooled.unreleasableBuffer(Unpooled.EMPTY_BUFFER);

  /** What a scratch buffer starts with, and the least a transport buffer is made with. */
  private static final int INITIAL_CAPACITY = 512;
  /** The largest scratch buffer kept after a message; a larger one is dropped for a new one. */
  private static final int MAX_SCRATCH_CAPACITY = 64 * 1024;
  /** The largest transport buffer kept for the next message; a larger one goes back to the pool. */
  private static final int MAX_SPARE_CAPACITY = 16 * 1024;
  /** Held messages leave as soon as they add up to more than this, without waiting for the end. */
  static final int MAX_HELD_BYTES = 32 * 1024;

  private final MessageSink sink;
  /**
   * Bytes {@code [readerIndex, messageStart)} are finished messages held for the transport; bytes
   * from {@code messageStart} on are the message being encoded, if {@link #scratchBusy}.
   */
  private ByteBuf scratch = Unpooled.buffer(INITIAL_CAPACITY);
  private boolean scratchBusy;
  private int messageStart;
  /** Whether the message being encoded went out in a transport copy (with what was held). */
  private boolean copied;
  private boolean holding;
  /** The last transport buffer, one reference kept by this object. */
  private @Nullable ByteBuf spare;
  /** Set at the end of the connection: no transport buffer is kept after it. */
  private boolean released;

  OutgoingBuffers(MessageSink sink) {
    this.sink = sink;
  }

  /**
   * Keeps finished messages in the scratch buffer ({@code true}) until {@link #takeHeld}, or copies
   * each out as it is finished ({@code false}, the default). Whoever turns holding off takes what
   * is held.
   */
  void hold(boolean hold) {
    holding = hold;
  }

  /**
   * Returns the heap buffer to encode one message into, from its writer index on: the scratch
   * buffer, or a new one if a message is encoded while another is (code the jellier runs sending
   * something). Pair with {@link #end}.
   */
  ByteBuf start() {
    if (scratchBusy) {
      return Unpooled.buffer(INITIAL_CAPACITY);
    }
    scratchBusy = true;
    copied = false;
    if (!scratch.isReadable()) {
      scratch.clear();
    }
    messageStart = scratch.writerIndex();
    return scratch;
  }

  /** Returns true while a message is being encoded into the scratch buffer. */
  boolean isEncoding() {
    return scratchBusy;
  }

  /**
   * Finishes the message encoded into {@code encoded} (from {@link #start}): returns it copied into
   * a buffer for the transport, after whatever was held before it, or {@link #HELD} if it is held
   * in the scratch buffer. Nothing is consumed until {@link #end} says the message is done.
   */
  ByteBuf copyForTransport(ByteBuf encoded) {
    if (encoded != scratch) {
      return copy(encoded, encoded.readerIndex(), encoded.readableBytes());
    }
    if (holding && scratch.readableBytes() <= MAX_HELD_BYTES) {
      return HELD;
    }
    ByteBuf message = copy(scratch, scratch.readerIndex(), scratch.readableBytes());
    copied = true;
    return message;
  }

  /**
   * Ends the use of a buffer from {@link #start}. {@code done}: the message was finished and goes
   * out (in its transport copy, or held); otherwise it is dropped, and what was held before it is
   * kept.
   */
  void end(ByteBuf encoded, boolean done) {
    if (encoded != scratch) {
      encoded.release();
      return;
    }
    scratchBusy = false;
    if (!done) {
      scratch.writerIndex(messageStart);
    } else if (copied) {
      scratch.clear();
    }
    copied = false;
    if (!scratch.isReadable() && scratch.capacity() > MAX_SCRATCH_CAPACITY) {
      scratch = Unpooled.buffer(INITIAL_CAPACITY); // a large message does not pin its memory
    }
  }

  /**
   * Returns the finished messages held so far, in order, in one buffer for the transport, or null
   * if none is held. A message being encoded stays where it is.
   */
  @Nullable ByteBuf takeHeld() {
    int from = scratch.readerIndex();
    int to = scratchBusy ? messageStart : scratch.writerIndex();
    if (from >= to) {
      return null;
    }
    ByteBuf message = copy(scratch, from, to - from);
    if (scratchBusy) {
      scratch.readerIndex(to);
    } else {
      scratch.clear();
      if (scratch.capacity() > MAX_SCRATCH_CAPACITY) {
        scratch = Unpooled.buffer(INITIAL_CAPACITY);
      }
    }
    return message;
  }

  /** Gives the kept transport buffer back to its pool; at the end of the connection. */
  void release() {
    released = true;
    scratch.clear();
    ByteBuf b = spare;
    if (b != null) {
      spare = null;
      b.release();
    }
  }

  /** Returns {@code size} bytes of {@code from} at {@code index} in a buffer for the transport. */
  private ByteBuf copy(ByteBuf from, int index, int size) {
    ByteBuf message = transportBuffer(size);
    try {
      if (from.hasArray()) {
        // From the array: writeBytes(ByteBuf) would slice two NIO buffers per copy.
        return message.writeBytes(from.array(), from.arrayOffset() + index, size);
      }
      return message.writeBytes(from, index, size);
    } catch (RuntimeException e) {
      message.release();
      throw e;
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
