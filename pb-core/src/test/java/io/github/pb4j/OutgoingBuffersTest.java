package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
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

  @Test
  void theTransportBufferIsUsedAgainOnceTheTransportReleasedIt() {
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
    assertThat(third.refCnt()).isZero();
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
