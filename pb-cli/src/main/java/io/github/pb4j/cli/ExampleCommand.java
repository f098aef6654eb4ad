package io.github.pb4j.cli;

import io.github.pb4j.examples.Examples;
import io.github.pb4j.examples.ExampleArgs;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pb example NAME}: runs one of the examples ({@link Examples}). */
@Command(
    name = "example",
    mixinStandardHelpOptions = true,
    description = {
      "Run one of the examples (the seed's programs in Java).",
      "Servers print READY <port> and run until Ctrl-C; clients do their part and exit.",
      "Without NAME, lists them. Each has a Python twin in pb-examples/src/test/python/."
    },
    footer = {
      "%nExamples:",
      "  pb example pb6server &",
      "  pb example pb6client1",
      "  pb example chatserver --port 0",
      "  pb example pbsimpleserver --tls-cert server.pem --tls-key server-key.pem &",
      "  pb example pbsimpleclient --tls-ca ca.pem --host localhost"
    })
final class ExampleCommand implements Callable<Integer> {
  private final Terminal terminal;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "NAME",
      completionCandidates = Names.class,
      description = "One of: ${COMPLETION-CANDIDATES}.")
  @Nullable String name;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "Host to listen on or connect to (default: 127.0.0.1).")
  @Nullable String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port (default: 8800); a server takes 0 for any free port.")
  @Nullable Integer port;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "TLS certificate chain (PEM): a server's own (serves over TLS), or a client's for "
              + "mutual TLS; needs --tls-key.")
  @Nullable Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The private key of --tls-cert (unencrypted PKCS#8 PEM).")
  @Nullable Path tlsKey;

  @Option(
      names = "--tls",
      description = "Clients: connect over TLS, checking the server's certificate and name.")
  boolean tls;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description = "Clients: trust these CAs (PEM) instead of the JDK's (implies --tls).")
  @Nullable Path tlsCa;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      description = "Servers: ask clients for a certificate of these CAs (PEM; mutual TLS).")
  @Nullable Path tlsClientCa;

  ExampleCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    if (name == null) {
      for (Examples.Example e : Examples.all()) {
        terminal
            .out()
            .printf(
                "%-15s %-7s %-18s %s%n",
                e.name(), e.server() ? "server" : "client", e.twin(), e.summary());
      }
      return PbCli.OK;
    }
    Examples.Example example =
        Examples.find(name)
            .orElseThrow(
                () ->
                    new CliException(
                        PbCli.USAGE,
                        "unknown example: "
                            + name
                            + " (expected one of: "
                            + String.join(", ", new Names())
                            + ")"));
    ExampleArgs args;
    try {
      args = ExampleArgs.of(
          host != null ? host : ExampleArgs.DEFAULT_HOST,
          port != null ? port : ExampleArgs.DEFAULT_PORT,
          example.server())
          .withTls(example.server()
              ? ExampleArgs.serverTls(tlsCert, tlsKey, tlsClientCa, tls || tlsCa != null)
              : ExampleArgs.clientTls(tls, tlsCa, tlsCert, tlsKey, tlsClientCa));
    } catch (IllegalArgumentException e) {
      throw new CliException(PbCli.USAGE, e.getMessage());
    }
    return example.launcher().run(args, terminal.out(), terminal.err(), terminal.shutdownRequested());
  }

  /** The example names, for help and completion. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Examples.all().stream().map(Examples.Example::name).iterator();
    }
  }
}
