package io.github.pb4j.netty;

import io.github.pb4j.Broker;
import io.github.pb4j.BrokerOptions;
import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.RemoteReference;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PB client: one connection to a PB server. Java form of Twisted's {@code PBClientFactory}
 * (with {@code reactor.connectTCP}).
 *
 * <pre>{@code
 * try (PbClient client = PbClient.builder().host("localhost").port(8787).build()) {
 *   RemoteReference root = client.getRootObject().get(5, TimeUnit.SECONDS);
 *   Object answer = root.callRemote("echo", "hello").get(5, TimeUnit.SECONDS);
 * }
 * }</pre>
 *
 * <p>A client makes at most one connection: {@link #connect()} starts it once and every later call
 * returns the same outcome. To reconnect, build a new client. Operations that need more than the
 * root object are built on {@link #getRootObject()}; a cred login is {@code
 * getRootObject().thenCompose(root -> PbLogin.login(root, credentials, mind))} (see {@link
 * io.github.pb4j.PbLogin}), Twisted's {@code PBClientFactory.login}.
 *
 * <p><b>Threads.</b> Clients share one event loop group of pb4j's, with one daemon thread per CPU,
 * made when the first client is built and shut down when the last one is closed (close every
 * client you build); a hundred clients need no more threads than one. {@link
 * Builder#eventLoopGroup} runs a client on a group of your own instead. Futures complete on the
 * connection's event loop ({@link #executor()}); dependent stages that are not {@code async} run
 * there and must not block.
 *
 * <p><em>Thread-safe.</em>
 */
public final class PbClient implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(PbClient.class);

  private final Builder config;
  private final EventLoops loops;
  private final EventLoop loop;
  private final CompletableFuture<PbClient> connected = new CompletableFuture<>();
  private final CompletableFuture<@Nullable Void> closed = new CompletableFuture<>();
  private final Object lock = new Object();
  private boolean started; // Guarded by lock.
  private boolean closing; // Guarded by lock.
  private @Nullable Channel channel; // Guarded by lock.
  private @Nullable BrokerHandler handler; // Guarded by lock.
  private volatile @Nullable Broker broker;

  private PbClient(Builder config) {
    this.config = config;
    this.loops = config.localAddress != null
        ? EventLoops.local(java.util.Objects.requireNonNull(config.group))
        : EventLoops.forClient(config.group);
    this.loop = loops.group.next();
  }

  /** Returns a builder; by default it connects to {@code localhost:8787}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects, if not already started, and returns a future that completes with this client when
   * the connection is established and its broker exists.
   *
   * <p>The future fails with {@link PbConnectException} if the server cannot be reached (refused,
   * timed out, unknown host; the cause says which), or with {@link ConnectionLostException} if the
   * client was closed first. A TLS handshake failure surfaces later: {@link #getRootObject()} and
   * pending calls fail with {@link ConnectionLostException} whose cause is the {@code
   * SSLHandshakeException}.
   */
  public CompletableFuture<PbClient> connect() {
    synchronized (lock) {
      if (!started && !closing) {
        started = true;
        startConnect();
      }
    }
    return connected.copy();
  }

  private void startConnect() {
    BrokerHandler h = BrokerHandler.client(config.options);
    handler = h;
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channel(loops.transport.channelClass)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, Transport.WATER_MARK)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis());
    if (config.localAddress == null) { // In-process channels have no socket options.
      bootstrap
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.SO_KEEPALIVE, config.tcpKeepAlive);
    }
    bootstrap.handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (config.sslContext != null) {
              ch.pipeline().addLast("tls", newSslHandler(ch));
            }
            ch.pipeline().addLast("broker", h);
          }
        });
    ChannelFuture future = config.localAddress != null
        ? bootstrap.connect(config.localAddress)
        : bootstrap.connect(config.host, config.port);
    channel = future.channel();
    future.addListener(f -> {
      if (!f.isSuccess()) {
        failConnect(f.cause());
      }
    });
    h.broker().whenComplete((b, e) -> {
      if (e != null) {
        // A failed connect also ends the handler; report the connect failure, not its echo.
        failConnect(future.cause() != null ? future.cause() : e);
      } else {
        broker = b;
        connected.complete(this);
      }
    });
  }

  private int connectTimeoutMillis() {
    return (int) Math.min(Integer.MAX_VALUE, config.connectTimeout.toMillis());
  }

  private void failConnect(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
    if (cause instanceof ConnectionLostException lost) {
      connected.completeExceptionally(lost);
    } else if (connected.completeExceptionally(
        new PbConnectException(config.host, config.port, cause))) {
      logger.debug("cannot connect to {}:{}: {}", config.host, config.port, cause.toString());
    }
  }

  private SslHandler newSslHandler(Channel ch) {
    SslContext ssl = Objects.requireNonNull(config.sslContext);
    SslHandler sslHandler = ssl.newHandler(ch.alloc(), config.host, config.port);
    if (config.verifyHostname) {
      SSLEngine engine = sslHandler.engine();
      SSLParameters parameters = engine.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      engine.setSSLParameters(parameters);
    }
    return sslHandler;
  }

  /**
   * Returns a future of the server's root object, connecting first if needed. Like Twisted's
   * {@code PBClientFactory.getRootObject}, nothing is sent: the future completes once the dialect
   * is agreed. Fails as {@link #connect()} does.
   */
  public CompletableFuture<RemoteReference> getRootObject() {
    return connect().thenCompose(c -> Objects.requireNonNull(broker).rootObject());
  }

  /**
   * Logs in through the server's portal and returns a future of the avatar reference: Twisted's
   * {@code PBClientFactory.login(credentials, client=mind)}, against Twisted or pb4j servers.
   * Connects first if needed. A refused login fails with the cred exception matching the server's
   * failure ({@link io.github.pb4j.cred.UnauthorizedLoginException}, ...). The connection keeps the
   * avatar reference until it is released or the connection ends.
   *
   * @param mind the object the server may call back, or null for none
   */
  public CompletableFuture<RemoteReference> login(
      io.github.pb4j.cred.Credentials credentials, io.github.pb4j.@Nullable Referenceable mind) {
    return loginWithMindValue(credentials, mind);
  }

  /** Logs in as {@link #login(io.github.pb4j.cred.Credentials, io.github.pb4j.Referenceable)} does, with no mind. */
  public CompletableFuture<RemoteReference> login(io.github.pb4j.cred.Credentials credentials) {
    return loginWithMindValue(credentials, null);
  }

  /**
   * Logs in with a mind that is not a {@link io.github.pb4j.Referenceable}: it is sent as a copy,
   * which Twisted allows, and the server cannot call it back. See {@link
   * io.github.pb4j.PbLogin#loginWithMindValue}.
   */
  public CompletableFuture<RemoteReference> loginWithMindValue(
      io.github.pb4j.cred.Credentials credentials, @Nullable Object mind) {
    Objects.requireNonNull(credentials, "credentials");
    return getRootObject()
        .thenCompose(root -> io.github.pb4j.PbLogin.loginWithMindValue(root, credentials, mind));
  }

  /**
   * Returns the event loop this client's connection runs on, from the moment it is built: the
   * thread its futures complete on and its remote calls run on. Run work there to call a {@link
   * RemoteReference} from it without hopping threads, or to serialise work with the connection's
   * callbacks. It belongs to the client's group: do not shut it down.
   */
  public EventExecutor executor() {
    return loop;
  }

  /** Returns the connection's broker once connected; empty before. */
  public Optional<Broker> broker() {
    return Optional.ofNullable(broker);
  }

  /** Returns true while the connection is up. */
  public boolean isConnected() {
    Broker b = broker;
    return b != null && b.isConnected();
  }

  /**
   * Closes the connection (queued messages are flushed first; pending calls fail with {@link
   * ConnectionLostException}) and releases the shared event loop group (the last client shuts it
   * down; a group given to the builder is left running). Idempotent. The future completes, on an
   * internal thread, when that is done.
   */
  public CompletableFuture<@Nullable Void> closeAsync() {
    Channel ch;
    BrokerHandler h;
    synchronized (lock) {
      if (closing) {
        return closed.copy();
      }
      closing = true;
      ch = channel;
      h = handler;
    }
    CompletableFuture<@Nullable Void> ended = CompletableFuture.completedFuture(null);
    if (ch != null && h != null) {
      Broker b = broker;
      if (b != null) {
        b.close();
      } else {
        ch.close();
      }
      // Bounded: a channel whose event loop cannot run any more never reports its end.
      ended = h.lost().completeOnTimeout(null, BrokerHandler.CLOSE_GRACE_SECONDS + 1L, TimeUnit.SECONDS);
    }
    connected.completeExceptionally(new ConnectionLostException("client closed", null));
    ended.thenCompose(v -> loops.shutDown()).whenComplete((v, e) -> closed.complete(null));
    return closed.copy();
  }

  /**
   * Closes the client as {@link #closeAsync} does and waits up to 10 seconds for it. Safe on any
   * thread: called on an event loop of the client's group (in a callback of this client or of
   * another one sharing the group), where waiting would deadlock, it starts the close and returns
   * at once; use {@link #closeAsync} there to know when the close is done.
   */
  @Override
  public void close() {
    loops.closeAndWaitUnlessOnLoop(this::closeAsync, logger, "pb client did not close cleanly");
  }

  @Override
  public String toString() {
    Broker b = broker;
    String conn = b != null ? ", conn " + b.connectionId() : "";
    return "PbClient[" + config.host + ":" + config.port + conn + "]";
  }

  /** Builds a {@link PbClient}. <em>Not thread-safe.</em> */
  public static final class Builder {
    private String host = "localhost";
    private int port = PbServer.DEFAULT_PORT;
    private BrokerOptions options = BrokerOptions.DEFAULT;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private @Nullable EventLoopGroup group;
    private @Nullable SslContext sslContext;
    private boolean verifyHostname = true;
    private boolean tcpKeepAlive;
    private io.github.pb4j.@Nullable PbObserver observer;
    private io.netty.channel.local.@Nullable LocalAddress localAddress;

    private Builder() {}

    /**
     * Connects in-process to {@code address} on {@code group}, a group of {@link
     * Transport#LOCAL} loops which the client leaves running: the server's warm-up ({@link
     * WarmUp}) only.
     */
    Builder local(io.netty.channel.local.LocalAddress address, EventLoopGroup group) {
      this.localAddress = Objects.requireNonNull(address, "address");
      this.group = Objects.requireNonNull(group, "group");
      return this;
    }

    /** Sets the server's host name or IP literal. Default {@code localhost}. */
    public Builder host(String host) {
      this.host = BuilderChecks.host(host);
      return this;
    }

    /** Sets the server's port. Default {@value PbServer#DEFAULT_PORT}. */
    public Builder port(int port) {
      this.port = BuilderChecks.port(port, 1);
      return this;
    }

    /** Sets the connection options. Default {@link BrokerOptions#DEFAULT}. */
    public Builder options(BrokerOptions options) {
      this.options = BuilderChecks.options(options);
      return this;
    }

    /** Sets how long establishing the TCP connection may take. Default 30 seconds (Twisted's). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = BuilderChecks.positive("connectTimeout", timeout);
      return this;
    }

    /**
     * Runs the connection on an event loop group of your own, which {@link PbClient#close()} leaves
     * running: any Netty 4.2 I/O group of the NIO or epoll transport, e.g. {@code new
     * MultiThreadIoEventLoopGroup(NioIoHandler.newFactory())}. By default clients share pb4j's
     * group (see {@link PbClient}).
     */
    public Builder eventLoopGroup(EventLoopGroup group) {
      this.group = BuilderChecks.eventLoopGroup(group);
      return this;
    }

    /**
     * Connects over TLS with {@code sslContext}, a client context. The server's certificate must
     * name the host (see {@link #verifyHostname}).
     */
    public Builder sslContext(SslContext sslContext) {
      this.sslContext = BuilderChecks.sslContext(sslContext, false);
      return this;
    }

    /** Sets whether TLS checks that the server's certificate names the host. Default true. */
    public Builder verifyHostname(boolean verify) {
      this.verifyHostname = verify;
      return this;
    }

    /**
     * Turns on TCP keepalive ({@code SO_KEEPALIVE}): the operating system probes a silent server
     * by its own settings (on Linux, after 2 hours by default). Off by default, as in Twisted. For
     * a dead server noticed within seconds, turn on the dead-peer probe with {@link
     * BrokerOptions.Builder#clientProbe}; see docs/connections.md.
     */
    public Builder tcpKeepAlive(boolean on) {
      this.tcpKeepAlive = on;
      return this;
    }

    /**
     * Reports the connection's events to {@code observer} (see the module {@code pb-metrics}).
     * Replaces the observer of the {@link #options}.
     */
    public Builder observer(io.github.pb4j.PbObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /** Builds the client (not yet connected; see {@link PbClient#connect()}). */
    public PbClient build() {
      if (observer != null) {
        options = options.toBuilder().observer(observer).build();
      }
      return new PbClient(this);
    }
  }
}
