package io.github.pb4j.cli;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.metrics.MicrometerObserver;
import io.github.pb4j.metrics.PrometheusEndpoint;
import io.github.pb4j.netty.PbServer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * What an operator sets on a server: the Prometheus endpoint ({@code --metrics-port}, {@code
 * --metrics-address}) and the limits ({@code --max-connections}, {@code
 * --max-connections-per-address}, {@code --max-calls-in-progress}). See docs/operations.md and
 * docs/limits.md.
 */
final class OperationsOptions {
  static final String DEFAULT_METRICS_ADDRESS = "127.0.0.1";

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve metrics in Prometheus' text format at http://ADDRESS:PORT/metrics "
              + "(0 picks a free port; default: no metrics).")
  @Nullable Integer metricsPort;

  @Option(
      names = "--metrics-address",
      paramLabel = "ADDRESS",
      defaultValue = DEFAULT_METRICS_ADDRESS,
      description = "Address the metrics are served on (default: ${DEFAULT-VALUE}).")
  String metricsAddress = DEFAULT_METRICS_ADDRESS;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "" + PbServer.DEFAULT_MAX_CONNECTIONS,
      description = "Refuse connections past N open at once (default: ${DEFAULT-VALUE}).")
  int maxConnections = PbServer.DEFAULT_MAX_CONNECTIONS;

  @Option(
      names = "--max-connections-per-address",
      paramLabel = "N",
      defaultValue = "" + PbServer.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
      description =
          "Refuse connections past N open at once from one client address "
              + "(default: ${DEFAULT-VALUE}).")
  int maxConnectionsPerAddress = PbServer.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;

  @Option(
      names = "--max-calls-in-progress",
      paramLabel = "N",
      defaultValue = "" + BrokerOptions.DEFAULT_MAX_CALLS_IN_PROGRESS,
      description =
          "Stop reading from a client with N calls unanswered until one is answered "
              + "(default: ${DEFAULT-VALUE}).")
  int maxCallsInProgress = BrokerOptions.DEFAULT_MAX_CALLS_IN_PROGRESS;

  /** Checks the values; throws a usage error naming the option. */
  void validate() {
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
      throw new CliException(PbCli.USAGE, "--metrics-port: " + metricsPort + " (expected: 0..65535)");
    }
    positive("--max-connections", maxConnections);
    positive("--max-connections-per-address", maxConnectionsPerAddress);
    positive("--max-calls-in-progress", maxCallsInProgress);
  }

  private static void positive(String option, int value) {
    if (value < 1) {
      throw new CliException(PbCli.USAGE, option + ": " + value + " (expected: >= 1)");
    }
  }

  /**
   * Starts the metrics endpoint if asked for; the caller closes what is returned, then the server.
   *
   * @throws CliException if the metrics address cannot be bound
   */
  Running start(Terminal terminal) {
    validate();
    if (metricsPort == null) {
      return new Running(null, null);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    PrometheusEndpoint endpoint;
    try {
      endpoint = PrometheusEndpoint.start(registry, new InetSocketAddress(metricsAddress, metricsPort));
    } catch (UncheckedIOException e) {
      registry.close();
      throw new CliException(PbCli.CANNOT_CONNECT, e.getMessage(), e);
    }
    InetSocketAddress bound = endpoint.address();
    terminal.err().println("pb chat-server: metrics at http://" + metricsAddress + ":"
        + bound.getPort() + PrometheusEndpoint.PATH);
    return new Running(registry, endpoint);
  }

  /** The metrics being served, if any, and the server settings that go with them. */
  final class Running implements AutoCloseable {
    private final @Nullable PrometheusMeterRegistry registry;
    private final @Nullable PrometheusEndpoint endpoint;

    private Running(@Nullable PrometheusMeterRegistry registry, @Nullable PrometheusEndpoint endpoint) {
      this.registry = registry;
      this.endpoint = endpoint;
    }

    /** Applies the limits and, if metrics are served, the observer, to {@code builder}. */
    PbServer.Builder configure(PbServer.Builder builder, BrokerOptions options) {
      builder
          .maxConnections(maxConnections)
          .maxConnectionsPerAddress(maxConnectionsPerAddress)
          .options(options.toBuilder().maxCallsInProgress(maxCallsInProgress).build());
      if (registry != null) {
        builder.observer(MicrometerObserver.of(registry));
      }
      return builder;
    }

    @Override
    public void close() {
      if (endpoint != null) {
        endpoint.close();
      }
      if (registry != null) {
        registry.close();
      }
    }
  }
}
