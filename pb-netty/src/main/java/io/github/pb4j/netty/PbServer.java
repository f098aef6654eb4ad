package io.github.pb4j.netty;

import io.github.pb4j.Broker;
import io.github.pb4j.BrokerOptions;
import io.github.pb4j.MessageSink;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PB server: listens on a TCP port and serves a root object to every connection. Java form of
 * Twisted's {@code PBServerFactory} (with {@code reactor.listenTCP}).
 *
 * <pre>{@code
 * try (PbServer server = PbServer.builder().port(8787).root(new EchoRoot()).build().start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Each connection gets its own {@link Broker}, confined to one event loop thread; remote
 * methods run there. Uses native epoll where available, NIO otherwise.
 *
 * <p><em>Thread-safe.</em>
 */
public final class PbServer implements AutoCloseable {
  /** Twisted's {@code pb.portno}. */
  public static final int DEFAULT_PORT = 8787;

  /** The default of {@link Builder#maxConnections}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

  /** The default of {@link Builder#maxConnectionsPerAddress}. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;

  private static final Logger logger = LoggerFactory.getLogger(PbServer.class);

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  private final Builder config;
  private final EventLoops loops;
  private final ConnectionLimits limits;
  /** Open connections, each with its handler. */
  private final Map<Channel, BrokerHandler> channels = new ConcurrentHashMap<>();
  private final Brokers brokers = new Brokers();
  private final CompletableFuture<@Nullable Void> closed = new CompletableFuture<>();
  private final Object lock = new Object();
  private State state = State.NEW; // Guarded by lock.
  private @Nullable Channel serverChannel; // Guarded by lock.
  private volatile WarmUp.@Nullable Outcome warmUpOutcome;

  private PbServer(Builder config) {
    this.config = config;
    this.loops = EventLoops.of(config.group, config.eventLoopThreads, "pb-server", false);
    this.limits = new ConnectionLimits(config.maxConnections, config.maxConnectionsPerAddress,
        config.options.observer(), System::nanoTime);
  }

  /** Returns a builder; a {@link Builder#root} or {@link Builder#rootFactory} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port and starts accepting connections; returns once bound. With a {@link
   * Builder#warmUp} budget, runs the warm-up first, so that this call takes that long more.
   *
   * @return this server
   * @throws IllegalStateException if already started or closed
   * @throws UncheckedIOException with a {@link BindException} if the address cannot be bound
   */
  public PbServer start() {
    synchronized (lock) {
      checkNew();
    }
    if (!config.warmUp.isZero()) {
      warmUp();
    }
    synchronized (lock) {
      checkNew();
      ChannelFuture bind = bootstrap().bind(config.host, config.port).awaitUninterruptibly();
      if (!bind.isSuccess()) {
        state = State.CLOSED;
        loops.shutDown().thenRun(() -> closed.complete(null));
        throw bindFailure(bind.cause());
      }
      serverChannel = bind.channel();
      state = State.RUNNING;
    }
    logger.info(
        "pb server listening on {} ({})", localAddress(), loops.transport.name().toLowerCase());
    return this;
  }

  private void checkNew() {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "server already " + (state == State.RUNNING ? "started" : "closed"));
    }
  }

  /**
   * Runs {@link WarmUp} before the port is bound; a failure is logged and the server starts
   * anyway, cold.
   */
  private void warmUp() {
    try {
      WarmUp.Outcome outcome = WarmUp.run(config.warmUp, config.options, loops.transport,
          config.tcpKeepAlive, JitActivity.ofThisJvm());
      warmUpOutcome = outcome;
      logger.info("pb server warmed up: {} logins in {} ms{}", outcome.logins(),
          outcome.elapsed().toMillis(), outcome.settled() ? ", compilation settled" : "");
      if (outcome.failures() > 0) {
        logger.warn("pb server warm-up: {} of its logins failed; the first with",
            outcome.failures(), outcome.firstFailure());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      logger.warn("pb server warm-up interrupted; starting anyway");
    } catch (RuntimeException e) {
      logger.warn("pb server warm-up failed; starting anyway", e);
    }
  }

  /** What the warm-up of {@link #start} did; null before it ran, or without one. */
  WarmUp.@Nullable Outcome warmUpOutcome() {
    return warmUpOutcome;
  }

  private ServerBootstrap bootstrap() {
    return new ServerBootstrap()
        .group(loops.group)
        .channel(loops.transport.serverChannelClass)
        .handler(limits.acceptor())
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, config.tcpKeepAlive)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Transport.WATER_MARK)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            initConnection(ch);
          }
        });
  }

  private void initConnection(Channel ch) {
    if (!limits.admit(ch)) {
      return;
    }
    if (config.sslContext != null) {
      ch.pipeline().addLast("tls", config.sslContext.newHandler(ch.alloc()));
    }
    BrokerHandler handler = new BrokerHandler(brokers, brokers);
    channels.put(ch, handler); // Listed before the handler starts its broker, as it is added.
    ch.pipeline().addLast("broker", handler);
    synchronized (lock) {
      if (state == State.CLOSED) {
        ch.close(); // Accepted while the server was closing.
      }
    }
  }

  /**
   * Makes each connection's broker; tells {@code onConnection} once the broker is listed by
   * {@link #connections()}, before the connection starts; unlists the connection once its end
   * is handled. One for all connections.
   */
  private final class Brokers implements BrokerHandler.BrokerFactory, BrokerHandler.Listener {
    @Override
    public Broker create(MessageSink sink, EventExecutor executor) {
      Function<Broker, Object> rootFactory = Objects.requireNonNull(config.rootFactory);
      return Broker.server(rootFactory, config.options, sink, executor);
    }

    @Override
    public void started(Broker broker) {
      if (config.onConnection != null) {
        try {
          config.onConnection.accept(broker);
        } catch (RuntimeException e) {
          logger.warn("[conn {}] onConnection callback threw", broker.connectionId(), e);
        } // An Error goes on to the handler, which logs it and closes this connection unstarted.
      }
    }

    @Override
    public void ended(Channel channel) {
      channels.remove(channel);
    }
  }

  private static UncheckedIOException bindFailure(Throwable cause) {
    if (cause instanceof BindException b) {
      return new UncheckedIOException(b);
    }
    BindException b = new BindException(String.valueOf(cause.getMessage()));
    b.initCause(cause);
    return new UncheckedIOException(b);
  }

  /**
   * Returns the port this server is bound to (the actual one when built with port 0).
   *
   * @throws IllegalStateException if not started
   */
  public int port() {
    return localAddress().getPort();
  }

  /**
   * Returns the address this server is bound to.
   *
   * @throws IllegalStateException if not started
   */
  public InetSocketAddress localAddress() {
    synchronized (lock) {
      if (serverChannel == null) {
        throw new IllegalStateException("server not started");
      }
      return (InetSocketAddress) serverChannel.localAddress();
    }
  }

  /** Returns true between {@link #start} and {@link #close}. */
  public boolean isRunning() {
    synchronized (lock) {
      return state == State.RUNNING;
    }
  }

  /**
   * Returns the brokers of the connections open now, in no particular order: a snapshot. A
   * connection is listed from the moment its broker exists until its end has been handled.
   */
  public List<Broker> connections() {
    List<Broker> list = new ArrayList<>(channels.size());
    for (BrokerHandler h : channels.values()) {
      Broker b = h.startedBroker();
      if (b != null) {
        list.add(b);
      }
    }
    return Collections.unmodifiableList(list);
  }

  /**
   * Stops the server: stops accepting, closes every connection once what it has written reached
   * the socket (waiting at most {@value BrokerHandler#CLOSE_GRACE_SECONDS} s for a peer that does
   * not read; pending calls fail with {@link io.github.pb4j.ConnectionLostException} and exported
   * objects are released, so avatars log out), then shuts down the event loops if this server
   * made them. Idempotent.
   *
   * <p>The future completes, on an internal thread, when all of that is done.
   */
  public CompletableFuture<@Nullable Void> closeAsync() {
    Channel listening;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return closed.copy();
      }
      boolean wasRunning = state == State.RUNNING;
      state = State.CLOSED;
      listening = wasRunning ? serverChannel : null;
    }
    SocketAddress address = listening == null ? null : listening.localAddress();
    CompletableFuture<@Nullable Void> unbound = listening == null
        ? CompletableFuture.completedFuture(null)
        : toCompletable(listening.close());
    unbound
        .thenCompose(v -> closeConnections())
        .thenCompose(v -> loops.shutDown())
        .whenComplete((v, e) -> {
          if (address != null) {
            logger.info("pb server on {} stopped", address);
          }
          if (e != null) {
            closed.completeExceptionally(e);
          } else {
            closed.complete(null);
          }
        });
    return closed.copy();
  }

  private CompletableFuture<@Nullable Void> closeConnections() {
    List<CompletableFuture<@Nullable Void>> ends = new ArrayList<>();
    for (Map.Entry<Channel, BrokerHandler> e : channels.entrySet()) {
      e.getValue().closeGracefully(e.getKey());
      ends.add(e.getValue().lost());
    }
    // A connection whose event loop cannot run any more (a user's group, stopped or stuck) never
    // reports its end: stop waiting once every live one has been forced closed.
    return CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new))
        .completeOnTimeout(null, BrokerHandler.CLOSE_GRACE_SECONDS + 1L, TimeUnit.SECONDS);
  }

  /**
   * Completes when {@code future} does, or after {@value BrokerHandler#CLOSE_GRACE_SECONDS} s: a
   * future of a channel whose event loop no longer runs never notifies its listeners.
   */
  private static CompletableFuture<@Nullable Void> toCompletable(ChannelFuture future) {
    CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
    future.addListener(f -> done.complete(null));
    return done.completeOnTimeout(null, BrokerHandler.CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Closes the server as {@link #closeAsync} does and waits up to 10 seconds for it.
   *
   * @throws IllegalStateException if called on one of this server's event loops, where waiting
   *     would deadlock: the close is started, but use {@link #closeAsync} there
   */
  @Override
  public void close() {
    loops.closeAndWait(this::closeAsync, "server", logger, "pb server did not stop cleanly");
  }

  @Override
  public String toString() {
    synchronized (lock) {
      Object address = serverChannel != null
          ? serverChannel.localAddress()
          : config.host + ":" + config.port;
      return "PbServer[" + address + ", " + state + "]";
    }
  }

  /**
   * Builds a {@link PbServer}. {@link #build()} validates the settings. <em>Not thread-safe.</em>
   */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private @Nullable Function<Broker, Object> rootFactory;
    private BrokerOptions options = BrokerOptions.DEFAULT;
    private int eventLoopThreads;
    private @Nullable EventLoopGroup group;
    private @Nullable SslContext sslContext;
    private @Nullable Consumer<? super Broker> onConnection;
    private boolean tcpKeepAlive;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
    private io.github.pb4j.@Nullable PbObserver observer;
    private Duration warmUp = Duration.ZERO;

    private Builder() {}

    /**
     * Sets the address to listen on: a host name or IP literal. Default {@code 127.0.0.1}, which
     * only local clients can reach; {@code 0.0.0.0} listens on every interface, as Twisted's
     * {@code listenTCP} does by default.
     */
    public Builder host(String host) {
      this.host = BuilderChecks.host(host);
      return this;
    }

    /**
     * Sets the port; 0 picks a free one (see {@link PbServer#port()}). Default {@value
     * PbServer#DEFAULT_PORT}.
     */
    public Builder port(int port) {
      this.port = BuilderChecks.port(port, 0);
      return this;
    }

    /**
     * Sets the root object every connection reaches as {@code b'root'} (Twisted's {@code
     * pb.Root}); shared by all connections, so its methods may run on several event loops at once.
     * Replaces a {@link #rootFactory}.
     */
    public Builder root(Object root) {
      Objects.requireNonNull(root, "root");
      this.rootFactory = broker -> root;
      return this;
    }

    /**
     * Sets the maker of each connection's root object, called with the new broker on its event
     * loop: Twisted's {@code IPBRoot.rootObject(broker)}. A cred server passes {@code
     * PortalRoot.factory(portal)}, which makes one portal wrapper per connection. Replaces a {@link
     * #root}.
     */
    public Builder rootFactory(Function<Broker, Object> rootFactory) {
      this.rootFactory = Objects.requireNonNull(rootFactory, "rootFactory");
      return this;
    }

    /**
     * Serves a cred portal: each connection gets its own {@link io.github.pb4j.PortalRoot}, as
     * Twisted's {@code PBServerFactory(portal)}. Replaces a {@link #root}.
     */
    public Builder portal(io.github.pb4j.cred.Portal portal) {
      return rootFactory(io.github.pb4j.PortalRoot.factory(portal));
    }

    /** Serves a cred portal whose failed logins are throttled by {@code throttle}. */
    public Builder portal(io.github.pb4j.cred.Portal portal, io.github.pb4j.cred.LoginThrottle throttle) {
      return rootFactory(io.github.pb4j.PortalRoot.factory(portal, throttle));
    }

    /** Sets the connection options. Default {@link BrokerOptions#DEFAULT}. */
    public Builder options(BrokerOptions options) {
      this.options = BuilderChecks.options(options);
      return this;
    }

    /**
     * Turns on TCP keepalive ({@code SO_KEEPALIVE}) for every connection: the operating system
     * probes a silent peer, by its own settings (on Linux, after 2 hours by default: {@code
     * net.ipv4.tcp_keepalive_time}), and the connection ends if the peer's machine is gone. Off by
     * default, as in Twisted. The dead-peer probe of {@link BrokerOptions#serverProbe()}, on by
     * default, notices a dead client much sooner and also one whose process hangs; see
     * docs/connections.md.
     */
    public Builder tcpKeepAlive(boolean on) {
      this.tcpKeepAlive = on;
      return this;
    }

    /** Sets the number of event loop threads the server makes; 0 (default) is Netty's default. */
    public Builder eventLoopThreads(int threads) {
      this.eventLoopThreads = BuilderChecks.nonNegative("eventLoopThreads", threads);
      return this;
    }

    /**
     * Runs the server on an existing event loop group, which {@link PbServer#close()} leaves
     * running. The group's transport (epoll or NIO) is used.
     */
    public Builder eventLoopGroup(EventLoopGroup group) {
      this.group = BuilderChecks.eventLoopGroup(group);
      return this;
    }

    /** Serves over TLS with {@code sslContext}, a server context. */
    public Builder sslContext(SslContext sslContext) {
      this.sslContext = BuilderChecks.sslContext(sslContext, true);
      return this;
    }

    /**
     * Calls {@code callback} with the broker of each new connection, on its event loop, before any
     * byte from the peer is read, in the connection's log context and with the connection already
     * in {@link PbServer#connections()}. Useful for {@link Broker#notifyOnDisconnect}. Must not
     * block. An exception it throws is logged and the connection goes on; an {@link Error} is
     * logged and closes that connection before anything is sent on it (its disconnect callbacks
     * run), while the server and its other connections go on.
     */
    public Builder onConnection(Consumer<? super Broker> callback) {
      this.onConnection = Objects.requireNonNull(callback, "callback");
      return this;
    }

    /**
     * Sets the most connections open at once; one more is closed as soon as it is accepted, and
     * the refusal logged (at most once a minute per client address). Twisted has no such limit.
     * Default {@value PbServer#DEFAULT_MAX_CONNECTIONS}. See docs/limits.md.
     */
    public Builder maxConnections(int connections) {
      this.maxConnections = atLeastOne("maxConnections", connections);
      return this;
    }

    /**
     * Sets the most connections open at once from one client address (an IPv4 address, an IPv6
     * /64 network), refused as {@link #maxConnections}. Default {@value PbServer#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}: clients
     * behind one NAT address share it.
     */
    public Builder maxConnectionsPerAddress(int connections) {
      this.maxConnectionsPerAddress = atLeastOne("maxConnectionsPerAddress", connections);
      return this;
    }

    /**
     * Reports the events of the server's connections, and the connections it refuses, to {@code
     * observer} (see the module {@code pb-metrics}). Replaces the observer of the {@link #options}.
     */
    public Builder observer(io.github.pb4j.PbObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /**
     * Warms the server's login path up in {@link PbServer#start()}, before the port is bound:
     * for at most {@code budget}, in-process clients connect over loopback sockets of the
     * server's transport (an ephemeral port of 127.0.0.1, closed before the server's is bound),
     * are accepted and set up as the server's connections are, log in through a private portal
     * (PB's challenge and response, a wrong password now and then), call their avatar and are
     * called back, exactly through the code a real login runs. A JVM that has just started runs
     * that code in its interpreter and spends the first seconds compiling it, so a burst of
     * clients arriving at once after a restart (a reconnect storm) is served several times slower
     * than later; after a warm-up it meets compiled code. The warm-up stops sooner once the JIT
     * has gone quiet (its compilers busy less than a tenth of 300 ms): the login path is then
     * compiled as far as it will be.
     *
     * <p>The warm-up touches nothing of the application: not the {@link #root}, the portal's
     * checkers or realm, the {@link #observer}, the connection limits, nor {@link
     * #onConnection}; nothing is logged per login, and its connections, port and threads are
     * gone when {@code start()} binds the port. {@code start()} returns that much later. It does
     * not warm TLS, nor the application's own checker and realm. {@code pb chat-server} warms up
     * for at most 2 seconds (see docs/operations.md, "Start-up: warm-up"). Default {@link
     * Duration#ZERO}: no warm-up.
     *
     * @throws IllegalArgumentException if {@code budget} is negative
     */
    public Builder warmUp(Duration budget) {
      Objects.requireNonNull(budget, "budget");
      if (budget.isNegative()) {
        throw new IllegalArgumentException("warmUp: " + budget + " (expected: >= 0)");
      }
      this.warmUp = budget;
      return this;
    }

    private static int atLeastOne(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
      }
      return value;
    }

    /**
     * Builds the server (not yet listening; call {@link PbServer#start()}). A root object with
     * invalid remote methods is reported by the first connection, which is then closed.
     *
     * @throws IllegalStateException if neither a root nor a root factory was set, or if both
     *     event loop settings were
     */
    public PbServer build() {
      if (rootFactory == null) {
        throw new IllegalStateException(
            "root: not set (expected: root(Object) or rootFactory(Function))");
      }
      if (eventLoopThreads != 0 && group != null) {
        throw new IllegalStateException("eventLoopThreads and eventLoopGroup are exclusive");
      }
      if (observer != null) {
        options = options.toBuilder().observer(observer).build();
      }
      return new PbServer(this);
    }
  }
}
