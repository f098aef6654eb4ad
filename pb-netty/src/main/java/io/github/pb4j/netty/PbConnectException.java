package io.github.pb4j.netty;

import io.github.pb4j.banana.PbException;

/**
 * A {@link PbClient} could not connect: the connection was refused, timed out, or the host could
 * not be resolved. The cause is the transport's exception, typically a {@link
 * java.net.ConnectException} (Netty's {@code ConnectTimeoutException} is one too) or a {@link
 * java.net.UnknownHostException}. Twisted reports the same through {@code
 * ClientFactory.clientConnectionFailed}.
 *
 * <p><em>Immutable.</em>
 */
public final class PbConnectException extends PbException {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final int port;

  public PbConnectException(String host, int port, Throwable cause) {
    super("cannot connect to " + host + ":" + port + ": " + cause.getMessage(), cause);
    this.host = host;
    this.port = port;
  }

  /** Returns the host the client tried to reach, as it was given. */
  public String host() {
    return host;
  }

  /** Returns the port the client tried to reach. */
  public int port() {
    return port;
  }
}
