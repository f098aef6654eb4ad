package io.github.pb4j.netty;

import io.github.pb4j.Avatar;
import io.github.pb4j.Broker;
import io.github.pb4j.BrokerOptions;
import io.github.pb4j.PbLogin;
import io.github.pb4j.PbObserver;
import io.github.pb4j.PortalRoot;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.UsernamePassword;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Warms a server's login path up before it listens ({@link PbServer.Builder#warmUp}): in-process
 * clients connect over loopback sockets of the server's own transport (epoll or NIO), are accepted
 * and set up as the server's connections are (its channel options, a {@link ConnectionLimits}),
 * log in through a {@link PortalRoot} (challenge and MD5 response, a wrong password now and then),
 * call their avatar, are called back through their mind, and close — the same accept, read, write
 * and close, {@link PbClient}, {@link BrokerHandler}, {@link Broker}, Banana and Jelly code a
 * reconnect storm runs, so that the storm meets code the JIT has compiled instead of the
 * interpreter. With a {@link JitActivity}, it stops as soon as the JIT has gone quiet.
 *
 * <p>Nothing of the application is touched: the portal is a private one, with a throwaway user
 * of a random password in memory and a realm of its own; the server's root factory, checkers,
 * realm, observer, connection limits and {@code onConnection} callback never see a warm-up
 * connection. It listens on an ephemeral port of the loopback address (never the server's), only
 * while it runs; where no loopback socket can be bound it runs over Netty's in-memory channels
 * instead. Nothing is logged per login. When {@link #run} returns, its connections, its
 * listener and its event loop threads are gone.
 *
 * <p><em>Thread-safe</em> (no state between runs).
 */
final class WarmUp {
  /** The throwaway user of the private portal. */
  static final String USER = "pb4j-warm-up";

  /** Logins in flight at once: enough to keep every event loop busy, no more. */
  private static final int IN_FLIGHT = 16;

  /** One login in this many starts with a wrong password, for the checker's failure path. */
  private static final int WRONG_PASSWORD_EVERY = 4;

  /** How long the end of a run waits for what is in flight, and for the loops to stop. */
  private static final long DRAIN_SECONDS = 10;

  /** How often the loop asks whether the JIT has gone quiet while every login is in flight. */
  private static final long QUIET_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * What a run did: successful logins, expected refusals, unexpected failures, time taken, whether
   * it stopped because the JIT had gone quiet, and the address it listened on while it ran.
   */
  record Outcome(
      int logins,
      int refused,
      int failures,
      @Nullable Throwable firstFailure,
      long nanos,
      boolean settled,
      @Nullable SocketAddress address) {
    Duration elapsed() {
      return Duration.ofNanos(nanos);
    }
  }

  private WarmUp() {}

  /**
   * Runs logins for about {@code budget} (at least one round of them) over loopback sockets of
   * the best transport, against brokers made with {@code serverOptions} (its observer replaced by
   * none), then stops everything it started.
   */
  static Outcome run(Duration budget, BrokerOptions serverOptions) throws InterruptedException {
    return run(budget, serverOptions, Transport.best());
  }

  /**
   * Runs as {@link #run(Duration, BrokerOptions)} does, over {@code transport}: {@link
   * Transport#LOCAL}, or sockets on the loopback interface.
   */
  static Outcome run(Duration budget, BrokerOptions serverOptions, Transport transport)
      throws InterruptedException {
    return run(budget, serverOptions, transport, true, null);
  }

  /**
   * Runs as {@link #run(Duration, BrokerOptions, Transport)} does, its accepted sockets kept
   * alive as {@code keepAlive} says; with {@code untilQuiet}, stops before the budget is spent
   * once the JIT has gone quiet. If no loopback socket can be bound, runs over {@link
   * Transport#LOCAL} instead.
   */
  static Outcome run(
      Duration budget,
      BrokerOptions serverOptions,
      Transport transport,
      boolean keepAlive,
      @Nullable JitActivity untilQuiet)
      throws InterruptedException {
    long start = System.nanoTime();
    try {
      return runOver(start, budget, serverOptions, transport, keepAlive, untilQuiet);
    } catch (BindFailed e) {
      Duration left = budget.minusNanos(System.nanoTime() - start);
      return runOver(System.nanoTime(), left.isNegative() ? Duration.ZERO : left, serverOptions,
          Transport.LOCAL, keepAlive, untilQuiet);
    }
  }

  /** The warm-up's loopback listener could not be bound. */
  private static final class BindFailed extends RuntimeException {
    BindFailed(Throwable cause) {
      super(cause);
    }
  }

  private static Outcome runOver(
      long start,
      Duration budget,
      BrokerOptions serverOptions,
      Transport transport,
      boolean keepAlive,
      @Nullable JitActivity untilQuiet)
      throws InterruptedException {
    String password = HexFormat.of().formatHex(randomBytes());
    Portal portal = Portal.builder()
        .realm((id, mind, interfaces) ->
            CompletableFuture.completedFuture(LoginResult.of(Avatar.class, new Perspective(mind))))
        .checker(new InMemoryUsernamePasswordDatabaseDontUse().addUser(USER, password))
        .build();
    BrokerOptions options = serverOptions.toBuilder().observer(PbObserver.NONE).build();
    var rootFactory = PortalRoot.factory(portal);
    int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    // Servers and clients on loops of their own: a local channel whose peer is on the same loop
    // hands it what it writes at once, inside the write, which no socket ever does.
    EventLoopGroup group =
        Transport.newGroup(threads, "pb-warm-up-server", true, transport.ioHandlerFactory());
    EventLoopGroup clientGroup =
        Transport.newGroup(1, "pb-warm-up-client", true, transport.ioHandlerFactory());
    boolean local = transport == Transport.LOCAL;
    Map<Channel, BrokerHandler> served = new ConcurrentHashMap<>();
    Set<PbClient> clients = ConcurrentHashMap.newKeySet();
    AtomicInteger logins = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();
    Channel listener = null;
    SocketAddress address = null;
    boolean settled = false;
    try {
      // The server's own channel set-up: its options, and connection limits of its own that
      // never refuse (the code path of the server's, none of its counts).
      ConnectionLimits limits = new ConnectionLimits(
          Integer.MAX_VALUE, Integer.MAX_VALUE, PbObserver.NONE, System::nanoTime);
      ServerBootstrap bootstrap = new ServerBootstrap()
          .group(group)
          .channel(transport.serverChannelClass)
          .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Transport.WATER_MARK);
      if (!local) {
        bootstrap.handler(limits.acceptor())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, keepAlive);
      }
      ChannelFuture bound = bootstrap
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              if (!limits.admit(ch)) {
                return;
              }
              BrokerHandler handler = new BrokerHandler(
                  (sink, executor) -> Broker.server(rootFactory, options, sink, executor));
              ch.pipeline().addLast("broker", handler);
              served.put(ch, handler);
              handler.lost().whenComplete((v, e) -> served.remove(ch));
            }
          })
          .bind(local
              ? new LocalAddress(WarmUp.class)
              : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
          .await();
      if (!bound.isSuccess()) {
        throw local ? new IllegalStateException(bound.cause()) : new BindFailed(bound.cause());
      }
      listener = bound.channel();
      address = listener.localAddress();
      Semaphore slots = new Semaphore(IN_FLIGHT);
      long deadline = start + Math.max(0, budget.toNanos());
      int n = 0;
      do {
        long left = deadline - System.nanoTime();
        boolean slot = slots.tryAcquire(
            Math.max(1, Math.min(left, QUIET_CHECK_NANOS)), TimeUnit.NANOSECONDS);
        // A JIT quiet before any login has finished says nothing about the login path.
        if (untilQuiet != null && logins.get() + failures.get() > 0 && untilQuiet.quiet()) {
          if (slot) {
            slots.release();
          }
          settled = true;
          break;
        }
        if (!slot) {
          continue;
        }
        PbClient client = local
            ? PbClient.builder().local((LocalAddress) address, clientGroup).build()
            : PbClient.builder()
                .host(InetAddress.getLoopbackAddress().getHostAddress())
                .port(((InetSocketAddress) address).getPort())
                .eventLoopGroup(clientGroup)
                .build();
        clients.add(client);
        boolean wrongFirst = n++ % WRONG_PASSWORD_EVERY == 0;
        oneLogin(client, password, wrongFirst, refused)
            .whenComplete((ok, e) -> {
              if (e == null) {
                logins.incrementAndGet();
              } else {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, e);
              }
              client.closeAsync().whenComplete((v, e2) -> {
                clients.remove(client);
                slots.release();
              });
            });
      } while (System.nanoTime() < deadline);
      // What is in flight finishes; a stuck one is closed below.
      if (slots.tryAcquire(IN_FLIGHT, DRAIN_SECONDS, TimeUnit.SECONDS)) {
        slots.release(IN_FLIGHT);
      }
    } finally {
      stop(group, clientGroup, listener, clients, served);
    }
    return new Outcome(logins.get(), refused.get(), failures.get(), firstFailure.get(),
        System.nanoTime() - start, settled, address);
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /**
   * One client's session: perhaps a refused login first, then a login, a few calls of the avatar
   * (one of which calls the mind back) and a release of the avatar.
   */
  private static CompletableFuture<@Nullable Void> oneLogin(
      PbClient client, String password, boolean wrongFirst, AtomicInteger refused) {
    Mind mind = new Mind();
    return client.getRootObject().thenCompose(root -> {
      CompletableFuture<@Nullable Object> before = CompletableFuture.completedFuture(null);
      if (wrongFirst) {
        before = PbLogin.login(root, UsernamePassword.of(USER, "not " + password), new Mind())
            .handle((avatar, e) -> {
              if (e != null) {
                refused.incrementAndGet();
              } else {
                avatar.release(); // Cannot happen: the password is wrong.
              }
              return null;
            });
      }
      return before
          .thenCompose(v -> PbLogin.login(root, UsernamePassword.of(USER, password), mind))
          .thenCompose(avatar -> avatar.callRemote("echo", SAMPLE)
              .thenCompose(echoed -> avatar.callRemote("ask", "warm-up"))
              .thenCompose(answer -> avatar.callRemote("groups"))
              .thenAccept(groups -> avatar.release()));
    });
  }

  /** Arguments of the kinds a chat or RPC call carries. */
  private static final List<Object> SAMPLE =
      List.of("text", 42, 2.5, true, List.of("a", "b"), Map.of("key", "value"));

  /** Stops the clients, the listener and its connections, then the loops; waits, bounded. */
  private static void stop(
      EventLoopGroup group,
      EventLoopGroup clientGroup,
      @Nullable Channel listener,
      Set<PbClient> clients,
      Map<Channel, BrokerHandler> served)
      throws InterruptedException {
    List<CompletableFuture<?>> ends = new ArrayList<>();
    for (PbClient client : List.copyOf(clients)) {
      ends.add(client.closeAsync());
    }
    if (listener != null) {
      listener.close().await(DRAIN_SECONDS, TimeUnit.SECONDS);
    }
    for (Map.Entry<Channel, BrokerHandler> e : served.entrySet()) {
      e.getKey().close();
      ends.add(e.getValue().lost());
    }
    try {
      CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new))
          .get(DRAIN_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Closed regardless below: shutting the loops down ends every channel on them.
    } finally {
      var clientsDone = clientGroup.shutdownGracefully(0, DRAIN_SECONDS, TimeUnit.SECONDS);
      group.shutdownGracefully(0, DRAIN_SECONDS, TimeUnit.SECONDS)
          .await(DRAIN_SECONDS + 1, TimeUnit.SECONDS);
      clientsDone.await(DRAIN_SECONDS + 1, TimeUnit.SECONDS);
    }
  }

  /** The throwaway portal's avatar: Twisted's {@code perspective_*} methods, as a chat user's. */
  public static final class Perspective implements Avatar {
    private final @Nullable Object mind;
    private final List<String> groups = new ArrayList<>();

    Perspective(@Nullable Object mind) {
      this.mind = mind;
    }

    /** Returns what it was given. */
    @Remote
    public List<Object> echo(List<Object> values) {
      return values;
    }

    /** Calls the mind's {@code print(line)} and answers with its answer. */
    @Remote
    public CompletableFuture<@Nullable Object> ask(String line) {
      if (mind instanceof RemoteReference ref) {
        groups.add(line);
        return ref.callRemote("print", line);
      }
      return CompletableFuture.completedFuture(null);
    }

    /** Returns the lines asked so far. */
    @Remote
    public List<String> groups() {
      return List.copyOf(groups);
    }
  }

  /** The warm-up client's mind: answers what it is told with its length. */
  public static final class Mind implements Referenceable {
    @Remote
    public int print(String line) {
      return Objects.requireNonNull(line).length();
    }
  }
}
