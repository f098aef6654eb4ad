package io.github.pb4j.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;

/**
 * The raw pipelined TCP baseline: {@code window} messages of {@code size} bytes outstanding to an
 * echo server; each echoed message sends a new one. What came back in one read burst is answered
 * with one buffer and one flush at its end, the most a transport can batch: the limit that calls
 * with many outstanding on one connection are compared with.
 */
final class NettyPipeline extends Load {
  private final EventLoopGroup group;
  private final Channel channel;
  private final int size;
  private final int window;
  // Confined to the event loop.
  private int outstanding;
  private int received;
  private int toSend;

  NettyPipeline(int port, int size, int window) {
    if (size < 1 || window < 1) {
      throw new IllegalArgumentException("size " + size + ", window " + window + " (expected: >= 1)");
    }
    NettyTransport transport = NettyTransport.best();
    this.size = size;
    this.window = window;
    this.group = transport.newGroup(1, "pipeline-client");
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
    channel.eventLoop().execute(() -> send(window));
  }

  private void send(int messages) {
    outstanding += messages;
    ByteBuf buf = channel.alloc().buffer(messages * size);
    buf.writeZero(messages * size);
    channel.writeAndFlush(buf, channel.voidPromise());
  }

  /** Counts echoed messages; sends as many new ones at the end of each read burst. */
  private final class Handler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      received += buf.readableBytes();
      buf.release();
      int whole = received / size;
      received -= whole * size;
      outstanding -= whole;
      completed(whole);
      if (!isStopping()) {
        toSend += whole;
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      int n = toSend;
      toSend = 0;
      if (n > 0 && !isStopping()) {
        send(n);
      } else if (isStopping() && outstanding == 0) {
        drained();
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
