package io.github.pb4j;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.ArrayDeque;
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
 * <p>An idle connection holds neither buffer. A scratch buffer belongs to the connection only
 * while it holds bytes; then it goes back to a small pool of its thread (the connection's event
 * loop), where the next message of any connection on that thread takes it. The last transport
 * buffer is kept per thread too, on Netty's threads only (elsewhere nothing would give it back to
 * its pool). Ten thousand idle connections on two event loops hold two transport buffers and a few
 * scratch buffers, not ten thousand of each.
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

  /** Scratch buffers kept per thread for the connections on it. */
  private static final int MAX_POOLED_SCRATCH = 4;

  private static final FastThreadLocal<ThreadBuffers> THREAD_BUFFERS =
      new FastThreadLocal<>() {
        @Override
        protected ThreadBuffers initialValue() {
          return new ThreadBuffers();
        }

        @Override
        protected void onRemoval(ThreadBuffers buffers) {
          buffers.dropSpare();
        }
      };

  private final MessageSink sink;
  /**
   * Bytes {@code [readerIndex, messageStart)} are finished messages held for the transport; bytes
   * from {@code messageStart} on are the message being encoded, if {@link #scratchBusy}. Null
   * while nothing is held or encoded: the buffer is then back in its thread's pool.
   */
  private @Nullable ByteBuf scratch;
  private boolean scratchBusy;
  private int messageStart;
  /** Whether the message being encoded went out in a transport copy (with what was held). */
  private boolean copied;
  private boolean holding;

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
    ByteBuf s = scratch;
    if (s == null) {
      s = THREAD_BUFFERS.get().takeScratch();
      scratch = s;
    }
    scratchBusy = true;
    copied = false;
    if (!s.isReadable()) {
      s.clear();
    }
    messageStart = s.writerIndex();
    return s;
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
    ByteBuf s = scratch;
    if (encoded != s || s == null) {
      return copy(encoded, encoded.readerIndex(), encoded.readableBytes());
    }
    if (holding && s.readableBytes() <= MAX_HELD_BYTES) {
      return HELD;
    }
    ByteBuf message = copy(s, s.readerIndex(), s.readableBytes());
    copied = true;
    return message;
  }

  /**
   * Ends the use of a buffer from {@link #start}. {@code done}: the message was finished and goes
   * out (in its transport copy, or held); otherwise it is dropped, and what was held before it is
   * kept.
   */
  void end(ByteBuf encoded, boolean done) {
    ByteBuf s = scratch;
    if (encoded != s || s == null) {
      encoded.release();
      return;
    }
    scratchBusy = false;
    if (!done) {
      s.writerIndex(messageStart);
    } else if (copied) {
      s.clear();
    }
    copied = false;
    if (!s.isReadable()) {
      giveBackScratch(s);
    }
  }

  /**
   * Returns the finished messages held so far, in order, in one buffer for the transport, or null
   * if none is held. A message being encoded stays where it is.
   */
  @Nullable ByteBuf takeHeld() {
    ByteBuf s = scratch;
    if (s == null) {
      return null;
    }
    int from = s.readerIndex();
    int to = scratchBusy ? messageStart : s.writerIndex();
    if (from >= to) {
      return null;
    }
    ByteBuf message = copy(s, from, to - from);
    if (scratchBusy) {
      s.readerIndex(to);
    } else {
      s.clear();
      giveBackScratch(s);
    }
    return message;
  }

  /** Drops what is held; at the end of the connection. */
  void release() {
    ByteBuf s = scratch;
    if (s != null && !scratchBusy) {
      s.clear();
      giveBackScratch(s);
    }
  }

  /** Returns true if this connection holds a scratch buffer (bytes held or being encoded). */
  boolean holdsScratch() {
    return scratch != null;
  }

  private void giveBackScratch(ByteBuf s) {
    scratch = null;
    if (s.capacity() <= MAX_SCRATCH_CAPACITY) { // a large message does not pin its memory
      THREAD_BUFFERS.get().giveScratch(s.clear());
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
    if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
      return sink.alloc().buffer(Math.max(size, INITIAL_CAPACITY));
    }
    ThreadBuffers thread = THREAD_BUFFERS.get();
    ByteBuf b = thread.spare;
    if (b != null && b.refCnt() == 1 && b.capacity() >= size && b.alloc() == sink.alloc()) {
      return b.clear().retain();
    }
    thread.dropSpare(); // still queued (the transport frees it once written), or too small
    b = sink.alloc().buffer(Math.max(size, INITIAL_CAPACITY));
    if (b.capacity() > MAX_SPARE_CAPACITY) {
      return b;
    }
    thread.spare = b;
    return b.retain();
  }

  /** What one thread keeps for the connections on it. */
  private static final class ThreadBuffers {
    private final ArrayDeque<ByteBuf> scratches = new ArrayDeque<>(MAX_POOLED_SCRATCH);
    /** The last transport buffer made on this thread, one reference kept here. */
    private @Nullable ByteBuf spare;

    ByteBuf takeScratch() {
      ByteBuf s = scratches.pollLast();
      return s != null ? s : Unpooled.buffer(INITIAL_CAPACITY);
    }

    void giveScratch(ByteBuf s) {
      if (scratches.size() < MAX_POOLED_SCRATCH) {
        scratches.addLast(s);
      }
    }

    void dropSpare() {
      ByteBuf b = spare;
      if (b != null) {
        spare = null;
        b.release();
      }
    }
  }
}
