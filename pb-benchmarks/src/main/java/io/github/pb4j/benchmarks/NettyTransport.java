package io.github.pb4j.benchmarks;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The socket implementation the raw Netty baseline uses: the one {@code PbServer} and {@code
 * PbClient} pick (native epoll where it loads, NIO otherwise), so that the baseline differs from PB
 * only by PB.
 *
 * <p><em>Immutable.</em>
 */
enum NettyTransport {
  EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class),
  NIO(NioServerSocketChannel.class, NioSocketChannel.class);

  final Class<? extends ServerChannel> serverChannelClass;
  final Class<? extends Channel> channelClass;

  NettyTransport(
      Class<? extends ServerChannel> serverChannelClass, Class<? extends Channel> channelClass) {
    this.serverChannelClass = serverChannelClass;
    this.channelClass = channelClass;
  }

  static NettyTransport best() {
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /** Creates a group of daemon event loop threads. */
  EventLoopGroup newGroup(int threads, String threadNamePrefix) {
    IoHandlerFactory factory =
        this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory(threadNamePrefix, true), factory);
  }
}
