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
    buffers.end(encoded);
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
    buffers.end(inner);
    outer.writeByte(3);

    assertThat(inner).isNotSameAs(outer);
    assertThat(inner.refCnt()).isZero();
    ByteBuf message = buffers.copyForTransport(outer);
    buffers.end(outer);
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
    buffers.end(scratch);
    message.release();

    assertThat(message.refCnt()).isZero(); // not kept as the spare
    assertThat(buffers.start().capacity()).isLessThanOrEqualTo(1024); // a new, small scratch buffer
    buffers.release();
  }
}
