package io.github.pb4j.netty;

import io.github.pb4j.Broker;
import io.github.pb4j.BrokerOptions;
import io.github.pb4j.MessageSink;
import io.github.pb4j.PbProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * A broker's outbound half, made by its {@link BrokerHandler}: writes into the pipeline in front
 * of the handler, and drops the connection of a peer for which more than {@link
 * BrokerOptions#maxOutputPerConnection()} bytes would be queued. {@link #close} flushes what is
 * queued before closing, and forces the close after {@value BrokerHandler#CLOSE_GRACE_SECONDS}
 * seconds if the peer does not read.
 *
 * <p><em>Not thread-safe;</em> confined to the channel's event loop.
 */
final class ChannelSink implements MessageSink {
  private final BrokerHandler handler;
  private final ChannelHandlerContext ctx;
  private boolean closing;

  ChannelSink(BrokerHandler handler, ChannelHandlerContext ctx) {
    this.handler = handler;
    this.ctx = ctx;
  }

  private boolean overOutputLimit(ByteBuf message) {
    Broker b = handler.startedBroker();
    ChannelOutboundBuffer queue = ctx.channel().unsafe().outboundBuffer();
    if (b == null || queue == null) {
      return false;
    }
    long queued = queue.totalPendingWriteBytes() + message.readableBytes();
    long limit = b.options().maxOutputPerConnection();
    if (queued <= limit) {
      return false;
    }
    if (!closing) {
      closing = true;
      handler.fail(ctx, new PbProtocolException("output limit: " + queued + " bytes queued for a"
          + " peer that does not read them (expected: <= " + limit
          + ", BrokerOptions.maxOutputPerConnection)"));
    }
    return true;
  }

  @Override
  public ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  @Override
  public void write(ByteBuf message) {
    if (overOutputLimit(message)) {
      message.release();
      return;
    }
    Broker b = handler.startedBroker();
    if (b != null) {
      b.options().observer().bytesSent(b, message.readableBytes());
    }
    ctx.write(message, ctx.voidPromise());
  }

  @Override
  public void pauseReading(boolean pause) {
    handler.pauseReading(ctx, pause);
  }

  @Override
  public void flush() {
    ctx.flush();
  }

  @Override
  public boolean isWritable() {
    return ctx.channel().isWritable();
  }

  @Override
  public @Nullable SocketAddress remoteAddress() {
    return ctx.channel().remoteAddress();
  }

  @Override
  public @Nullable SSLSession tlsSession() {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    return tls != null && tls.handshakeFuture().isSuccess() ? tls.engine().getSession() : null;
  }

  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    ScheduledFuture<?> force = ctx.executor().schedule(() -> {
      ctx.close();
    }, BrokerHandler.CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    ctx.channel().closeFuture().addListener(f -> force.cancel(false));
    // The empty write completes once everything queued before it has reached the socket.
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }
}
