package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OutgoingBuffersTest {
  /** A sink whose allocator is pooled direct memory, as a Netty channel's is. */
  private static final MessageSink SINK = new MessageSink() {
    @Override
    public ByteBufAllocator alloc() {
      return PooledByteBufAllocator.DEFAULT;
    }

    @Override
    public void write(ByteBuf message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private static ByteBuf send(OutgoingBuffers buffers, byte[] content) {
    ByteBuf encoded = buffers.start();
    encoded.writeBytes(content);
    ByteBuf message = buffers.copyForTransport(encoded);
    buffers.end(encoded, true);
    return message;
  }

  @Test
  void aMessageIsCopiedWholeIntoADirectBuffer() {
    OutgoingBuffers buffers = new OutgoingBuffers(SINK);
    ByteBuf message = send(buffers, new byte[] {1, 2, 3});

    assertThat(message.isDirect()).isTrue();
    assertThat(io.netty.buffer.ByteBufUtil.getBytes(message)).containsExactly(1, 2, 3);
    message.release();
    buffers.release();
  }

  /** Runs {@code test} on a Netty thread, where the last transport buffer is kept. */
  private static void onNettyThread(Runnable test) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new FastThreadLocalThread(() -> {
      try {
        test.run();
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    t.start();
    t.join(10_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(failure.get()).isNull();
  }

  @Test
  void theTransportBufferIsUsedAgainOnceTheTransportReleasedIt() throws InterruptedException {
    ByteBuf[] kept = new ByteBuf[1];
    onNettyThread(() -> {
      OutgoingBuffers buffers = new OutgoingBuffers(SINK);
      ByteBuf first = send(buffers, new byte[] {1});
      first.release(); // written
      ByteBuf second = send(buffers, new byte[] {2, 2});
      ByteBuf third = send(buffers, new byte[] {3}); // second still queued: a new buffer

      assertThat(second).isSameAs(first);
      assertThat(io.netty.buffer.ByteBufUtil.getBytes(second)).containsExactly(2, 2);
      assertThat(third).isNotSameAs(second);
      assertThat(io.netty.buffer.ByteBufUtil.getBytes(third)).containsExactly(3);
      second.release();
      assertThat(second.refCnt()).isZero(); // no longer kept: the newest one is
      third.release();
      buffers.release();
      assertThat(third.refCnt()).isOne(); // kept by the thread for the next message
      kept[0] = third;
    });
    assertThat(kept[0].refCnt()).isZero(); // given back when the thread ended
  }

  @Test
  void connectionsOnOneThreadShareTheLastTransportBuffer() throws InterruptedException {
    onNettyThread(() -> {
      OutgoingBuffers a = new OutgoingBuffers(SINK);
      OutgoingBuffers b = new OutgoingBuffers(SINK);
      ByteBuf first = send(a, new byte[] {1});
      first.release();
      ByteBuf second = send(b, new byte[] {2});
      assertThat(second).isSameAs(first);
      second.release();
    });
  }

  @Test
  void anIdleConnectionHoldsNoScratchBuffer() {
    OutgoingBuffers a = new OutgoingBuffers(SINK);
    OutgoingBuffers b = new OutgoingBuffers(SINK);
    assertThat(a.holdsScratch()).isFalse();
    ByteBuf scratch = a.start();
    assertThat(a.holdsScratch()).isTrue();
    scratch.writeByte(1);
    ByteBuf message = a.copyForTransport(scratch);
    a.end(scratch, true);
    message.release();
    assertThat(a.holdsScratch()).isFalse();

    ByteBuf next = b.start(); // another connection on the thread takes the same one
    assertThat(next).isSameAs(scratch);
    assertThat(next.readableBytes()).isZero();
    b.end(next, false);
    assertThat(b.holdsScratch()).isFalse();
  }

  @Test
  void heldBytesKeepTheScratchBufferUntilTaken() {
    OutgoingBuffers a = new OutgoingBuffers(SINK);
    OutgoingBuffers b = new OutgoingBuffers(SINK);
    a.hold(true);
    assertThat(send(a, new byte[] {1, 2})).isSameAs(OutgoingBuffers.HELD);
    assertThat(a.holdsScratch()).isTrue();
    ByteBuf other = send(b, new byte[] {9}); // another connection meanwhile: its own scratch
    assertThat(io.netty.buffer.ByteBufUtil.getBytes(other)).containsExactly(9);
    other.release();
    a.hold(false);
    ByteBuf held = a.takeHeld();
    assertThat(io.netty.buffer.ByteBufUtil.getBytes(held)).containsExactly(1, 2);
    held.release();
    assertThat(a.holdsScratch()).isFalse();
  }

  @Test
  void aMessageStartedWhileAnotherIsEncodedGetsItsOwnBuffer() {
    OutgoingBuffers buffers = new OutgoingBuffers(SINK);
    ByteBuf outer = buffers.start();
    outer.writeBytes(new byte[] {1, 2});
    ByteBuf inner = buffers.start();
    inner.writeBytes(new byte[] {9});
    buffers.end(inner, true);
    outer.writeByte(3);

    assertThat(inner).isNotSameAs(outer);
    assertThat(inner.refCnt()).isZero();
    ByteBuf message = buffers.copyForTransport(outer);
    buffers.end(outer, true);
    assertThat(io.netty.buffer.ByteBufUtil.getBytes(message)).containsExactly(1, 2, 3);
    assertThat(buffers.start()).isSameAs(outer); // the scratch buffer is free again
    message.release();
    buffers.release();
  }

  @Test
  void aLargeMessageDoesNotKeepItsScratchOrTransportMemory() {
    OutgoingBuffers buffers = new OutgoingBuffers(SINK);
    byte[] large = new byte[200_000];
    ByteBuf scratch = buffers.start();
    scratch.writeBytes(large);
    ByteBuf message = buffers.copyForTransport(scratch);
    buffers.end(scratch, true);
    message.release();

    assertThat(message.refCnt()).isZero(); // not kept as the spare
    assertThat(buffers.start().capacity()).isLessThanOrEqualTo(1024); // a new, small scratch buffer
    buffers.release();
  }

  @Test
  void heldMessagesLeaveTogetherInOneBufferInTheOrderFinished() {
    OutgoingBuffers buffers = new OutgoingBuffers(SINK);
    buffers.hold(true);
    assertThat(send(buffers, new byte[] {1, 2})).isSameAs(OutgoingBuffers.HELD);
    assertThat(send(buffers, new byte[] {3})).isSameAs(OutgoingBuffers.HELD);
    assertThat(send(buffers, new byte[] {4, 5, 6})).isSameAs(OutgoingBuffers.HELD);
    buffers.hold(false);

    ByteBuf held = buffers.takeHeld();
    assertThat(held).isNotNull();
    assertThat(held.isDirect()).isTrue();
    assertThat(io.netty.buffer.ByteBufUtil.getBytes(held)).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(buffers.takeHeld()).isNull();
    held.release();
    ByteBuf next = send(buffers, new byte[] {7}); // not holding: copied out at once
    assertThat(io.netty.buffer.ByteBufUtil.getBytes(next)).containsExactly(7);
    next.release();
    buffers.release();
  }

  @Test
  void aMessageThatFailsIsDroppedAndWhatWasHeldBeforeItStays() {
    OutgoingBuffers buffers = new OutgoingBuffers(SINK);
    buffers.hold(true);
    send(buffers, new byte[] {1});
    ByteBuf failing = buffers.start();
    failing.writeBytes(new byte[] {8, 8, 8});
    buffers.end(failing, false);
    send(buffers, new byte[] {2});

    ByteBuf held = buffers.takeHeld();
    assertThat(io.netty.buffer.ByteBufUtil.getBytes(held)).containsExactly(1, 2);
    held.release();
    buffers.release();
  }

  @Test
  void takingWhatIsHeldWhileEncodingLeavesTheMessageBeingEncoded() {
    OutgoingBuffers buffers = new OutgoingBuffers(SINK);
    buffers.hold(true);
    send(buffers, new byte[] {1, 2});
    ByteBuf encoding = buffers.start();
    encoding.writeBytes(new byte[] {3});

    ByteBuf before = buffers.takeHeld(); // something sent in between goes after these
    assertThat(io.netty.buffer.ByteBufUtil.getBytes(before)).containsExactly(1, 2);
    before.release();
    encoding.writeByte(4);
    buffers.hold(false);
    ByteBuf message = buffers.copyForTransport(encoding);
    buffers.end(encoding, true);
    assertThat(io.netty.buffer.ByteBufUtil.getBytes(message)).containsExactly(3, 4);
    assertThat(buffers.takeHeld()).isNull();
    message.release();
    buffers.release();
  }

  @Test
  void heldMessagesLeaveWithTheMessageThatPassesTheLimit() {
    OutgoingBuffers buffers = new OutgoingBuffers(SINK);
    buffers.hold(true);
    send(buffers, new byte[] {1});
    ByteBuf big = send(buffers, new byte[OutgoingBuffers.MAX_HELD_BYTES]);

    assertThat(big).isNotSameAs(OutgoingBuffers.HELD);
    assertThat(big.readableBytes()).isEqualTo(OutgoingBuffers.MAX_HELD_BYTES + 1);
    assertThat(big.getByte(0)).isEqualTo((byte) 1);
    assertThat(buffers.takeHeld()).isNull();
    big.release();
    buffers.release();
  }
}
