package io.github.pb4j.interop;

import static org.assertj.core.api.Assertions.fail;

import io.github.pb4j.Broker;
import io.github.pb4j.BrokerOptions;
import io.github.pb4j.netty.PbServer;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** A pb4j server serving a suite's scenarios; the root records events through the given sink. */
public final class JavaScenarioServer implements ScenarioServer {
  private final List<String> events = new ArrayList<>();
  private final PbServer server;

  /**
   * @param rootFactory makes the root of each connection; it receives the broker and the event sink
   */
  public JavaScenarioServer(BiFunction<Broker, Consumer<String>, Object> rootFactory, BrokerOptions options) {
    this(rootFactory, options, null);
  }

  /**
   * @param rootFactory makes the root of each connection; it receives the broker and the event sink
   * @param tls the server's TLS context, or null for plain TCP
   */
  public JavaScenarioServer(BiFunction<Broker, Consumer<String>, Object> rootFactory,
      BrokerOptions options, @Nullable SslContext tls) {
    Consumer<String> sink = this::record;
    PbServer.Builder builder = PbServer.builder()
        .host("127.0.0.1")
        .port(0)
        .options(options)
        .rootFactory(broker -> rootFactory.apply(broker, sink));
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.server = builder.build().start();
  }

  private void record(String event) {
    synchronized (events) {
      events.add(event);
      events.notifyAll();
    }
  }

  @Override
  public int port() {
    return server.port();
  }

  @Override
  public List<String> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  @Override
  public void awaitEvent(String event, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (!events.contains(event)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("server event %s did not happen within %s; events: %s", event, timeout, new ArrayList<>(events));
        }
        events.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
