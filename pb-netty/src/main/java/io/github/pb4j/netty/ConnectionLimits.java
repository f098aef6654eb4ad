package io.github.pb4j.netty;

import io.github.pb4j.PbObserver;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server's connection limits: in total and per client address. A connection past either is
 * closed as soon as it is accepted, before a byte is read or written, and the refusal is logged
 * at most once a minute per address (a client retrying in a loop cannot flood the log).
 *
 * <p><em>Thread-safe</em>: connections are accepted on one thread and end on many.
 */
final class ConnectionLimits {
  private static final Logger logger = LoggerFactory.getLogger(PbServer.class);
  static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** Addresses remembered for the once-a-minute log; past it, stale ones are forgotten. */
  private static final int MAX_LOGGED_ADDRESSES = 10_000;

  private final int maxConnections;
  private final int maxPerAddress;
  private final PbObserver observer;
  private final LongSupplier clock;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
  private final Map<InetAddress, Long> lastLogged = new ConcurrentHashMap<>();

  ConnectionLimits(int maxConnections, int maxPerAddress, PbObserver observer, LongSupplier clock) {
    this.maxConnections = maxConnections;
    this.maxPerAddress = maxPerAddress;
    this.observer = observer;
    this.clock = clock;
  }

  /** Set on an accepted connection that a limit refused; {@link #admit} closes it. */
  private static final AttributeKey<String> REFUSED = AttributeKey.valueOf("pb4j.refused");

  /**
   * Returns the handler for the listening channel that counts each accepted connection in as it
   * is accepted. Connections are then set up on their own event loops in no fixed order; counting
   * them here makes "the connection past the limit" the one accepted last, every time.
   */
  ChannelHandler acceptor() {
    return new Acceptor();
  }

  @ChannelHandler.Sharable
  private final class Acceptor extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Channel ch) {
        count(ch);
      }
      ctx.fireChannelRead(msg);
    }
  }

  /**
   * Closes {@code ch} if a limit refused it when it was accepted (returns false), else returns true.
   */
  boolean admit(Channel ch) {
    if (ch.hasAttr(REFUSED)) {
      ch.close();
      return false;
    }
    return true;
  }

  /**
   * Counts {@code ch} in, or marks it refused if a limit is reached. Counted connections are
   * counted out when they close.
   */
  private void count(Channel ch) {
    SocketAddress remote = ch.remoteAddress();
    InetAddress address = remote instanceof InetSocketAddress inet && inet.getAddress() != null
        ? group(inet.getAddress()) : null;
    String refused = null;
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      refused = "max-connections";
    } else if (address != null) {
      AtomicInteger count = perAddress.compute(address, (a, c) -> {
        AtomicInteger n = c != null ? c : new AtomicInteger();
        n.incrementAndGet();
        return n;
      });
      if (count.get() > maxPerAddress) {
        release(address);
        open.decrementAndGet();
        refused = "max-connections-per-address";
      }
    }
    if (refused != null) {
      // Counted and logged before the close, which is all the peer sees.
      observer.connectionRefused(remote == null ? ch.localAddress() : remote, refused);
      logRefusal(address, refused);
      ch.attr(REFUSED).set(refused);
      return;
    }
    ch.closeFuture().addListener(f -> {
      open.decrementAndGet();
      if (address != null) {
        release(address);
      }
    });
  }

  /**
   * Returns the address connections are counted under: an IPv4 address itself, an IPv6 address's
   * /64 network (one host usually has a whole /64 to pick addresses from), loopback as it is.
   */
  static InetAddress group(InetAddress address) {
    if (!(address instanceof Inet6Address) || address.isLoopbackAddress()) {
      return address;
    }
    byte[] bytes = address.getAddress();
    Arrays.fill(bytes, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("16 bytes make an IPv6 address", e);
    }
  }

  /** Counts one connection of {@code address} out; forgets an address with none left. */
  private void release(InetAddress address) {
    perAddress.computeIfPresent(address, (a, c) -> c.decrementAndGet() <= 0 ? null : c);
  }

  private void logRefusal(@Nullable InetAddress address, String reason) {
    long now = clock.getAsLong();
    if (address != null) {
      Long last = lastLogged.get(address);
      if (last != null && now - last < LOG_INTERVAL_NANOS) {
        return;
      }
      if (lastLogged.size() >= MAX_LOGGED_ADDRESSES) {
        forgetStale(now);
      }
      if (last == null ? lastLogged.putIfAbsent(address, now) != null
          : !lastLogged.replace(address, last, now)) {
        return; // another thread logged it just now
      }
    }
    String limit = reason.equals("max-connections")
        ? maxConnections + " connections in total (PbServer.Builder.maxConnections)"
        : maxPerAddress + " connections from one address (PbServer.Builder.maxConnectionsPerAddress)";
    logger.warn("refused connections from {}: the server allows at most {}; further refusals of"
        + " this address are not logged for a minute",
        address == null ? "an unknown address"
            : address.getHostAddress() + (address instanceof Inet6Address && !address.isLoopbackAddress() ? "/64" : ""),
        limit);
  }

  private void forgetStale(long now) {
    for (Iterator<Long> i = lastLogged.values().iterator(); i.hasNext(); ) {
      if (now - i.next() >= LOG_INTERVAL_NANOS) {
        i.remove();
      }
    }
  }

  /** Returns the number of connections counted in now. */
  int open() {
    return open.get();
  }
}
