package io.github.pb4j.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a Prometheus registry's meters in Prometheus' text format at {@value #PATH}, over plain
 * HTTP on the JDK's own server: for {@code pb chat-server --metrics-port}, or any program that
 * records pb4j's metrics in a {@link PrometheusMeterRegistry}.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * try (PrometheusEndpoint metrics = PrometheusEndpoint.start(registry, new InetSocketAddress("127.0.0.1", 9464))) {
 *   PbServer.builder().observer(MicrometerObserver.of(registry))...
 * }
 * }</pre>
 *
 * <p>Only {@code GET} and {@code HEAD} of {@value #PATH} are answered (405 and 404 otherwise);
 * nothing else is served. There is no authentication: bind it to a loopback or private address.
 *
 * <p><em>Thread-safe.</em>
 */
public final class PrometheusEndpoint implements AutoCloseable {
  /** The path the meters are served at. */
  public static final String PATH = "/metrics";

  /** Prometheus' text exposition format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger logger = LoggerFactory.getLogger(PrometheusEndpoint.class);

  private final HttpServer server;
  private final ExecutorService executor;

  private PrometheusEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving {@code registry} on {@code address} (port 0 picks a free one).
   *
   * @throws UncheckedIOException if the address cannot be bound
   */
  public static PrometheusEndpoint start(PrometheusMeterRegistry registry, InetSocketAddress address) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(address, "address");
    HttpServer server;
    try {
      server = HttpServer.create(address, 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + address + ": " + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "pb-metrics-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(registry, exchange));
    server.start();
    PrometheusEndpoint endpoint = new PrometheusEndpoint(server, executor);
    logger.info("serving metrics on http://{}{}", endpoint.describe(), PATH);
    return endpoint;
  }

  private static void handle(PrometheusMeterRegistry registry, HttpExchange exchange)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        send(exchange, 404, "not found: metrics are at " + PATH + "\n", true);
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "method not allowed\n", true);
      } else {
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        send(exchange, 200, registry.scrape(), !method.equals("HEAD"));
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String body, boolean withBody)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    }
    exchange.sendResponseHeaders(status, withBody ? bytes.length : -1);
    if (withBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Returns the address served (the actual port when started with port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private String describe() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** Stops serving; waits up to one second for a scrape in progress. Idempotent. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "PrometheusEndpoint[http://" + describe() + PATH + "]";
  }
}
