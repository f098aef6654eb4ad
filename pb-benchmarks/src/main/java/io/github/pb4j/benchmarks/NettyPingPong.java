package io.github.pb4j.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;

/**
 * The raw TCP baseline: one message of {@code size} bytes at a time to an echo server, the next
 * sent from the event loop as soon as the echo is complete. Same transport, socket options and
 * threading as a {@code PbClient} whose calls are chained on its event loop, minus PB.
 */
final class NettyPingPong extends Load {
  private final EventLoopGroup group;
  private final Channel channel;
  private final ByteBuf message;
  private final int size;

  NettyPingPong(int port, int size) {
    NettyTransport transport = NettyTransport.best();
    this.size = size;
    this.message = Unpooled.unreleasableBuffer(Unpooled.directBuffer(size).writeZero(size));
    this.group = transport.newGroup(1, "ping-client");
    ChannelFuture connect =
        new Bootstrap()
            .group(group)
            .channel(transport.channelClass)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new Handler())
            .connect("127.0.0.1", port)
            .awaitUninterruptibly();
    if (!connect.isSuccess()) {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "cannot connect to the echo server: " + connect.cause(), connect.cause());
    }
    this.channel = connect.channel();
  }

  @Override
  void issue() {
    channel.eventLoop().execute(this::send);
  }

  private void send() {
    channel.writeAndFlush(message.duplicate(), channel.voidPromise());
  }

  /** Counts echoed bytes; each full message is one round trip. */
  private final class Handler extends ChannelInboundHandlerAdapter {
    private int received;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      received += buf.readableBytes();
      buf.release();
      if (received < size) {
        return;
      }
      received -= size;
      completedOne();
      if (isStopping()) {
        drained();
      } else {
        send();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!isStopping()) {
        fail(new IllegalStateException("echo connection closed"));
      }
      drained();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(cause);
      ctx.close();
    }
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
