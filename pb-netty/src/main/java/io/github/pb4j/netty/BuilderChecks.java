package io.github.pb4j.netty;

import io.github.pb4j.BrokerOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Objects;

/**
 * The checks {@link PbServer.Builder} and {@link PbClient.Builder} share, so that both reject the
 * same mistakes with the same messages ({@code name: value (expected: ...)}).
 */
final class BuilderChecks {
  private BuilderChecks() {}

  /** Returns {@code host}; rejects null. */
  static String host(String host) {
    return Objects.requireNonNull(host, "host");
  }

  /** Returns {@code port} if it is in {@code lowest..65535}. */
  static int port(int port, int lowest) {
    if (port < lowest || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: " + lowest + "..65535)");
    }
    return port;
  }

  /** Returns {@code options}; rejects null. */
  static BrokerOptions options(BrokerOptions options) {
    return Objects.requireNonNull(options, "options");
  }

  /** Returns {@code group}; rejects null and a group that cannot run NIO or epoll sockets. */
  static EventLoopGroup eventLoopGroup(EventLoopGroup group) {
    Transport.of(Objects.requireNonNull(group, "group")); // Refuses a group that runs no sockets.
    return group;
  }

  /** Returns {@code value} if it is at least 0. */
  static int nonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: >= 0)");
    }
    return value;
  }

  /** Returns {@code timeout} if it is longer than zero. */
  static Duration positive(String name, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(name + ": " + timeout + " (expected: > 0)");
    }
    return timeout;
  }

  /** Returns {@code sslContext} if it is a server context ({@code server}) or a client one. */
  static SslContext sslContext(SslContext sslContext, boolean server) {
    Objects.requireNonNull(sslContext, "sslContext");
    if (sslContext.isServer() != server) {
      throw new IllegalArgumentException(
          server
              ? "sslContext: client context (expected: a server context)"
              : "sslContext: server context (expected: a client context)");
    }
    return sslContext;
  }
}
