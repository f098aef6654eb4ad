package io.github.pb4j.benchmarks;

import io.github.pb4j.netty.PbServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of {@link LoadTool}: one echo server of a given {@link Kind} on {@code
 * 127.0.0.1}, with one I/O thread, as the client side has.
 *
 * <p>Run as a process ({@code LoadServer <kind> [port]}, port 0 by default) it prints {@code READY
 * <port>} on stdout once listening and exits when its stdin closes, the convention of the interop
 * peers.
 *
 * <p><em>Thread-safe.</em>
 */
public final class LoadServer implements EchoServer {
  private static final Logger logger = LoggerFactory.getLogger(LoadServer.class);

  /** What the server speaks. */
  public enum Kind {
    /** Echoes bytes back; Netty on the transport PB uses. */
    NETTY_ECHO,
    /** Echoes bytes back; a blocking {@link ServerSocket} with a thread per connection. */
    SOCKET_ECHO,
    /** A {@link PbServer} serving {@link EchoRoot}. */
    PB,
    /** Twisted's PB server with the same root, in a Python process ({@link ServerProcess}). */
    TWISTED_PB;

    /**
     * Returns the kind for its command-line name ({@code netty-echo}, {@code socket-echo}, {@code
     * pb}).
     */
    public static Kind parse(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Returns the command-line name. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final Kind kind;
  private final int port;
  private final AutoCloseable resource;

  private LoadServer(Kind kind, int port, AutoCloseable resource) {
    this.kind = kind;
    this.port = port;
    this.resource = resource;
  }

  /** Starts a server of {@code kind} on {@code 127.0.0.1:port} (0 picks a free port). */
  public static LoadServer start(Kind kind, int port) {
    return switch (kind) {
      case NETTY_ECHO -> startNettyEcho(port);
      case SOCKET_ECHO -> startSocketEcho(port);
      case PB -> startPb(port);
      case TWISTED_PB -> throw new IllegalArgumentException("Twisted's server runs in Python");
    };
  }

  @Override
  public Kind kind() {
    return kind;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void close() {
    try {
      resource.close();
    } catch (Exception e) {
      logger.warn("server did not close cleanly", e);
    }
  }

  private static LoadServer startPb(int port) {
    PbServer server =
        PbServer.builder().port(port).eventLoopThreads(1).root(new EchoRoot()).build().start();
    return new LoadServer(Kind.PB, server.port(), server);
  }

  private static LoadServer startNettyEcho(int port) {
    NettyTransport transport = NettyTransport.best();
    EventLoopGroup group = transport.newGroup(1, "echo-server");
    Channel channel =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannelClass)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(EchoHandler.INSTANCE)
            .bind("127.0.0.1", port)
            .syncUninterruptibly()
            .channel();
    return new LoadServer(
        Kind.NETTY_ECHO,
        ((InetSocketAddress) channel.localAddress()).getPort(),
        () -> {
          channel.close().syncUninterruptibly();
          group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        });
  }

  /** Writes back every buffer it reads, flushing once per read burst. */
  @ChannelHandler.Sharable
  private static final class EchoHandler extends ChannelInboundHandlerAdapter {
    static final EchoHandler INSTANCE = new EchoHandler();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      logger.debug("echo connection failed: {}", cause.toString());
      ctx.close();
    }
  }

  private static LoadServer startSocketEcho(int port) {
    ServerSocket listener;
    try {
      listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(() -> acceptLoop(listener), "socket-echo-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return new LoadServer(Kind.SOCKET_ECHO, listener.getLocalPort(), listener);
  }

  private static void acceptLoop(ServerSocket listener) {
    while (!listener.isClosed()) {
      try {
        Socket socket = listener.accept();
        socket.setTcpNoDelay(true);
        Thread t = new Thread(() -> echo(socket), "socket-echo");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (!listener.isClosed()) {
          logger.warn("accept failed", e);
        }
      }
    }
  }

  private static void echo(Socket socket) {
    try (socket;
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream()) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
      }
    } catch (SocketException e) {
      logger.debug("echo connection ended: {}", e.toString()); // The client went away; expected.
    } catch (IOException e) {
      logger.warn("echo connection failed", e);
    }
  }

  /** Runs one server until stdin closes: {@code LoadServer <netty-echo|socket-echo|pb> [port]}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: LoadServer <netty-echo|socket-echo|pb> [port]");
      System.exit(2);
    }
    Kind kind;
    int port;
    try {
      kind = Kind.parse(args[0]);
      port = args.length == 2 ? Integer.parseInt(args[1]) : 0;
    } catch (IllegalArgumentException e) {
      System.err.println("LoadServer: " + e.getMessage());
      System.exit(2);
      return;
    }
    try (LoadServer server = start(kind, port)) {
      System.out.println("READY " + server.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Discard input; the parent closing stdin is the signal to stop.
      }
    }
    System.exit(0);
  }
}
