package io.github.pb4j.examples;

import java.util.Objects;

/**
 * The command line every example takes: {@code [--host HOST] [--port PORT] [--help]}. The seed's
 * programs hard-code {@code localhost:8800}; the examples default to {@code 127.0.0.1:8800} and let
 * a server listen on port 0 (a free port, printed in its {@code READY <port>} line).
 *
 * <p><em>Immutable.</em>
 *
 * @param host the address to listen on or connect to
 * @param port the port; 0 only for servers
 * @param help whether {@code --help} was given
 */
public record ExampleArgs(String host, int port, boolean help) {
  /** The port of the seed's examples. */
  public static final int DEFAULT_PORT = 8800;

  /** The host the examples use by default: loopback, as the seed's {@code localhost}. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  public ExampleArgs {
    Objects.requireNonNull(host, "host");
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
        default -> throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    ExampleArgs parsed = of(host, port, server);
    return help ? new ExampleArgs(parsed.host(), parsed.port(), true) : parsed;
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
        + " [--host HOST] [--port PORT]   (default "
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
