package io.github.pb4j.examples;

import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.PbServer;
import io.github.pb4j.netty.Tls;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The command line every example takes: {@code [--host HOST] [--port PORT] [--help]} and the TLS
 * options: a server's {@code --tls-cert FILE --tls-key FILE} (PEM) and {@code --tls-client-ca
 * FILE} (mutual TLS), a client's {@code --tls}, {@code --tls-ca FILE} (default: the JDK's trust
 * store) and {@code --tls-cert FILE --tls-key FILE} (a client certificate). The seed's programs
 * hard-code {@code localhost:8800}; the examples default to {@code 127.0.0.1:8800} and let a
 * server listen on port 0 (a free port, printed in its {@code READY <port>} line).
 *
 * <p><em>Immutable.</em>
 *
 * @param host the address to listen on or connect to
 * @param port the port; 0 only for servers
 * @param help whether {@code --help} was given
 * @param tls the TLS context (a server's or a client's), or null for plain TCP
 */
public record ExampleArgs(String host, int port, boolean help, @Nullable SslContext tls) {
  /** The port of the seed's examples. */
  public static final int DEFAULT_PORT = 8800;

  /** The host the examples use by default: loopback, as the seed's {@code localhost}. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public ExampleArgs {
    Objects.requireNonNull(host, "host");
  }

  /** Arguments without TLS. */
  public ExampleArgs(String host, int port, boolean help) {
    this(host, port, help, null);
  }

  /** Returns these arguments with the TLS context {@code tls} (null: plain TCP). */
  public ExampleArgs withTls(@Nullable SslContext tls) {
    return new ExampleArgs(host, port, help, tls);
  }

  /** Returns a server builder listening on {@link #host}:{@link #port}, over TLS if set. */
  public PbServer.Builder serverBuilder() {
    PbServer.Builder builder = PbServer.builder().host(host).port(port);
    if (tls != null) {
      builder.sslContext(tls);
    }
    return builder;
  }

  /** Returns a client of {@link #host}:{@link #port}, over TLS if set (not yet connected). */
  public PbClient client() {
    PbClient.Builder builder = PbClient.builder().host(host).port(port);
    if (tls != null) {
      builder.sslContext(tls);
    }
    return builder.build();
  }

  /**
   * Parses {@code args}.
   *
   * @param server whether port 0 (any free port) is allowed
   * @throws IllegalArgumentException naming the offending argument
   */
  public static ExampleArgs parse(String[] args, boolean server) {
    String host = DEFAULT_HOST;
    int port = DEFAULT_PORT;
    boolean help = false;
    boolean tls = false;
    Path ca = null;
    Path cert = null;
    Path key = null;
    Path clientCa = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
      if (eq > 0 && arg.startsWith("--")) {
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "-h", "--help" -> help = true;
        case "--host" -> host = value != null ? value : next(args, ++i, name);
        case "--port" -> port = port(value != null ? value : next(args, ++i, name), server);
        case "--tls" -> tls = true;
        case "--tls-ca" -> ca = Path.of(value != null ? value : next(args, ++i, name));
        case "--tls-cert" -> cert = Path.of(value != null ? value : next(args, ++i, name));
        case "--tls-key" -> key = Path.of(value != null ? value : next(args, ++i, name));
        case "--tls-client-ca" -> clientCa = Path.of(value != null ? value : next(args, ++i, name));
        default -> throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    ExampleArgs parsed = of(host, port, server)
        .withTls(server ? serverTls(cert, key, clientCa, tls || ca != null)
            : clientTls(tls, ca, cert, key, clientCa));
    return help ? new ExampleArgs(parsed.host(), parsed.port(), true, parsed.tls()) : parsed;
  }

  /**
   * Returns a server's TLS context from {@code --tls-cert}, {@code --tls-key} and {@code
   * --tls-client-ca}, or null if none is given.
   *
   * @param clientOptions whether a client's option ({@code --tls}, {@code --tls-ca}) was given
   * @throws IllegalArgumentException naming the offending option or file
   */
  public static @Nullable SslContext serverTls(
      @Nullable Path cert, @Nullable Path key, @Nullable Path clientCa, boolean clientOptions) {
    if (clientOptions) {
      throw new IllegalArgumentException("--tls and --tls-ca are for clients"
          + " (expected for a server: --tls-cert FILE --tls-key FILE [--tls-client-ca FILE])");
    }
    if (cert == null && key == null) {
      if (clientCa != null) {
        throw new IllegalArgumentException("--tls-client-ca: needs --tls-cert and --tls-key");
      }
      return null;
    }
    if (cert == null || key == null) {
      throw new IllegalArgumentException(
          (cert == null ? "--tls-key" : "--tls-cert") + ": given alone (expected: --tls-cert FILE"
              + " --tls-key FILE)");
    }
    return Tls.server(cert, key, clientCa);
  }

  /**
   * Returns a client's TLS context from {@code --tls}, {@code --tls-ca}, {@code --tls-cert} and
   * {@code --tls-key} (any of them turns TLS on), or null if none is given.
   *
   * @throws IllegalArgumentException naming the offending option or file
   */
  public static @Nullable SslContext clientTls(boolean tls, @Nullable Path ca, @Nullable Path cert,
      @Nullable Path key, @Nullable Path clientCa) {
    if (clientCa != null) {
      throw new IllegalArgumentException("--tls-client-ca: for servers (expected for a client:"
          + " --tls [--tls-ca FILE] [--tls-cert FILE --tls-key FILE])");
    }
    if (!tls && ca == null && cert == null && key == null) {
      return null;
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(
          (cert == null ? "--tls-key" : "--tls-cert") + ": given alone (expected: --tls-cert FILE"
              + " --tls-key FILE)");
    }
    return Tls.client(ca, cert, key);
  }

  /**
   * Returns the arguments of an example run with {@code host} and {@code port}, as a command line
   * parser (picocli, say) parsed them.
   *
   * @param server whether port 0 (any free port) is allowed
   * @throws IllegalArgumentException naming the offending argument
   */
  public static ExampleArgs of(String host, int port, boolean server) {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("--host: empty (expected: a host name or address)");
    }
    int min = server ? 0 : 1;
    if (port < min || port > 65535) {
      throw new IllegalArgumentException("--port: " + port + " (expected: " + min + "..65535)");
    }
    return new ExampleArgs(host, port, false);
  }

  /** Returns the usage line of the example {@code name}. */
  public static String usage(String name, boolean server) {
    return "usage: "
        + name
        + " [--host HOST] [--port PORT]"
        + (server
            ? " [--tls-cert FILE --tls-key FILE [--tls-client-ca FILE]]"
            : " [--tls] [--tls-ca FILE] [--tls-cert FILE --tls-key FILE]")
        + "   (default "
        + DEFAULT_HOST
        + ":"
        + DEFAULT_PORT
        + (server ? "; port 0 picks a free one" : "")
        + ")";
  }

  private static String next(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + ": missing value");
    }
    return args[i];
  }

  private static int port(String text, boolean server) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port: " + text + " (expected: " + (server ? 0 : 1) + "..65535)");
    }
  }
}
