package io.github.pb4j.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

/**
 * The socket implementation: native epoll where Netty's native library loads (Linux), NIO
 * otherwise. Also holds the channel settings servers and clients share.
 *
 * <p><em>Immutable.</em>
 */
enum Transport {
  EPOLL(EpollServerSocketChannel.class, EpollSocketChannel.class),
  NIO(NioServerSocketChannel.class, NioSocketChannel.class),
  /**
   * In-process channels, for the server's warm-up only ({@link WarmUp}): never {@link #best()},
   * and {@link #of} refuses its groups, so no public builder accepts one.
   */
  LOCAL(LocalServerChannel.class, LocalChannel.class);

  /**
   * Outbound bytes queued per connection before the channel reports itself unwritable, at which
   * point {@link BrokerHandler} stops reading from that peer until the queue drains to the low
   * mark. Large enough for one answer of the default Banana size limit (640 KiB).
   */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

  final Class<? extends ServerChannel> serverChannelClass;
  final Class<? extends Channel> channelClass;

  Transport(
      Class<? extends ServerChannel> serverChannelClass, Class<? extends Channel> channelClass) {
    this.serverChannelClass = serverChannelClass;
    this.channelClass = channelClass;
  }

  /** Returns the best transport of this machine. */
  static Transport best() {
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  /**
   * Returns the transport whose channels {@code group} can run: any Netty 4.2 I/O group of the
   * epoll or NIO transport (a {@code MultiThreadIoEventLoopGroup} of {@code EpollIoHandler} or
   * {@code NioIoHandler}, or the older {@code EpollEventLoopGroup} and {@code NioEventLoopGroup}).
   *
   * @throws IllegalArgumentException for any other group, which could not run a socket
   */
  static Transport of(EventLoopGroup group) {
    if (group instanceof IoEventLoopGroup io) {
      if (io.isCompatible(EpollIoHandle.class)) {
        return EPOLL;
      }
      if (io.isCompatible(NioIoHandle.class)) {
        return NIO;
      }
    }
    throw new IllegalArgumentException(
        "event loop group: "
            + group.getClass().getName()
            + " cannot run sockets (expected: a MultiThreadIoEventLoopGroup of NioIoHandler or"
            + " EpollIoHandler)");
  }

  /**
   * Creates an event loop group of this transport; {@code threads} 0 means Netty's default. Daemon
   * threads do not keep the JVM alive. No error ends a loop ({@link GuardedEventLoopGroup}).
   */
  EventLoopGroup newGroup(int threads, String threadNamePrefix, boolean daemon) {
    return newGroup(threads, threadNamePrefix, daemon, ioHandlerFactory());
  }

  /** Creates a group of guarded loops whose I/O handlers {@code factory} makes. */
  static EventLoopGroup newGroup(
      int threads, String threadNamePrefix, boolean daemon, IoHandlerFactory factory) {
    return new GuardedEventLoopGroup(
        threads, new DefaultThreadFactory(threadNamePrefix, daemon), factory);
  }

  /** Returns the factory of this transport's I/O handlers. */
  IoHandlerFactory ioHandlerFactory() {
    return switch (this) {
      case EPOLL -> EpollIoHandler.newFactory();
      case NIO -> NioIoHandler.newFactory();
      case LOCAL -> LocalIoHandler.newFactory();
    };
  }

  /** Returns true if the calling thread is one of {@code group}'s event loops. */
  static boolean inEventLoopOf(EventLoopGroup group) {
    for (EventExecutor executor : group) {
      if (executor.inEventLoop()) {
        return true;
      }
    }
    return false;
  }
}
