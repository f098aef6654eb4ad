package io.github.pb4j.metrics;

import io.github.pb4j.Broker;
import io.github.pb4j.PbObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records the events of pb4j connections as Micrometer meters: install it on a server or client
 * ({@code PbServer.builder().observer(MicrometerObserver.of(registry))}). One observer may serve
 * several servers and clients; their meters add up, unless each gets its own {@link #of(MeterRegistry,
 * Iterable) tags}.
 *
 * <p>The meters, as Prometheus names them:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@code pb_connections_open}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@code pb_connections_opened_total}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code pb_connections_closed_total}</td><td>counter</td><td>{@code reason}</td></tr>
 *   <tr><td>{@code pb_connections_refused_total}</td><td>counter</td><td>{@code reason}</td></tr>
 *   <tr><td>{@code pb_handshakes_failed_total}</td><td>counter</td><td>{@code reason}</td></tr>
 *   <tr><td>{@code pb_calls_sent_total}, {@code pb_calls_received_total}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code pb_calls_served_seconds}</td><td>timer, histogram</td><td>{@code outcome}</td></tr>
 *   <tr><td>{@code pb_calls_answered_seconds}</td><td>timer, histogram</td><td>{@code outcome}</td></tr>
 *   <tr><td>{@code pb_errors_total}</td><td>counter</td><td>{@code kind}</td></tr>
 *   <tr><td>{@code pb_received_bytes_total}, {@code pb_sent_bytes_total}</td><td>counter</td><td></td></tr>
 *   <tr><td>{@code pb_calls_pending}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@code pb_references_exported}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@code pb_logins_total}</td><td>counter</td><td>{@code outcome}</td></tr>
 * </table>
 *
 * <p>Tag values are lower-case words: {@code reason="closed_by_peer"}, {@code kind="protocol"},
 * {@code outcome="succeeded"}. Every meter exists from the start, at zero, so that a dashboard
 * shows it before the first event. Recording allocates nothing: the meters are looked up once.
 *
 * <p><em>Thread-safe.</em>
 */
public final class MicrometerObserver implements PbObserver {
  private final MeterRegistry registry;
  private final Tags tags;
  private final AtomicLong open = new AtomicLong();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong exported = new AtomicLong();
  private final Counter opened;
  private final Counter[] closed;
  private final Counter[] handshakesFailed;
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();
  private final Counter callsSent;
  private final Counter callsReceived;
  private final Timer servedOk;
  private final Timer servedFailed;
  private final Timer answeredOk;
  private final Timer answeredFailed;
  private final Counter[] errors;
  private final Counter bytesReceived;
  private final Counter bytesSent;
  private final Counter[] logins;

  private MicrometerObserver(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
    Gauge.builder("pb.connections.open", open, AtomicLong::get).tags(tags)
        .description("PB connections open now").register(registry);
    Gauge.builder("pb.calls.pending", pending, AtomicLong::get).tags(tags)
        .description("Calls made to peers and awaiting their answers").register(registry);
    Gauge.builder("pb.references.exported", exported, AtomicLong::get).tags(tags)
        .description("Objects handed to peers as references or caches").register(registry);
    opened = counter("pb.connections.opened", "PB connections started");
    closed = counters(PbObserver.CloseReason.values(), "pb.connections.closed", "reason",
        "PB connections ended, by reason");
    handshakesFailed = counters(PbObserver.HandshakeFailure.values(), "pb.handshakes.failed",
        "reason", "PB or TLS handshakes that failed, by reason");
    callsSent = counter("pb.calls.sent", "Calls made to peers");
    callsReceived = counter("pb.calls.received", "Calls received from peers");
    servedOk = timer("pb.calls.served", "ok", "Time from a peer's call to its answer");
    servedFailed = timer("pb.calls.served", "failed", "Time from a peer's call to its answer");
    answeredOk = timer("pb.calls.answered", "ok", "Time from a call to a peer to its answer");
    answeredFailed = timer("pb.calls.answered", "failed", "Time from a call to a peer to its answer");
    errors = counters(PbObserver.ErrorKind.values(), "pb.errors", "kind", "Errors, by kind");
    bytesReceived = Counter.builder("pb.received").baseUnit("bytes").tags(tags)
        .description("PB bytes received from peers (inside TLS)").register(registry);
    bytesSent = Counter.builder("pb.sent").baseUnit("bytes").tags(tags)
        .description("PB bytes written for peers (inside TLS)").register(registry);
    logins = counters(PbObserver.LoginOutcome.values(), "pb.logins", "outcome",
        "Logins through a portal, by outcome");
    for (String reason : new String[] {"max-connections", "max-connections-per-address"}) {
      refusedCounter(reason);
    }
  }

  /** Returns an observer recording into {@code registry}. */
  public static MicrometerObserver of(MeterRegistry registry) {
    return of(registry, Tags.empty());
  }

  /** Returns an observer recording into {@code registry}, with {@code tags} on every meter. */
  public static MicrometerObserver of(MeterRegistry registry, Iterable<Tag> tags) {
    Objects.requireNonNull(registry, "registry");
    return new MicrometerObserver(registry, Tags.of(Objects.requireNonNull(tags, "tags")));
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).tags(tags).description(description).register(registry);
  }

  private Counter[] counters(Enum<?>[] values, String name, String tag, String description) {
    Counter[] result = new Counter[values.length];
    for (Enum<?> value : values) {
      result[value.ordinal()] = Counter.builder(name).tags(tags).tag(tag, word(value))
          .description(description).register(registry);
    }
    return result;
  }

  private Timer timer(String name, String outcome, String description) {
    return Timer.builder(name).tags(tags).tag("outcome", outcome).description(description)
        .publishPercentileHistogram().register(registry);
  }

  private Counter refusedCounter(String reason) {
    return refused.computeIfAbsent(reason, r -> Counter.builder("pb.connections.refused")
        .tags(tags).tag("reason", r.replace('-', '_'))
        .description("Connections refused by a server's limits").register(registry));
  }

  static String word(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void connectionOpened(Broker broker) {
    open.incrementAndGet();
    opened.increment();
  }

  @Override
  public void connectionClosed(Broker broker, CloseReason reason) {
    open.decrementAndGet();
    closed[reason.ordinal()].increment();
  }

  @Override
  public void connectionRefused(SocketAddress peer, String reason) {
    refusedCounter(reason).increment();
  }

  @Override
  public void handshakeFailed(Broker broker, HandshakeFailure failure) {
    handshakesFailed[failure.ordinal()].increment();
  }

  @Override
  public void callSent(Broker broker) {
    callsSent.increment();
  }

  @Override
  public void callReceived(Broker broker) {
    callsReceived.increment();
  }

  @Override
  public void callServed(Broker broker, long nanos, boolean failed) {
    (failed ? servedFailed : servedOk).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void callAnswered(Broker broker, long nanos, boolean failed) {
    (failed ? answeredFailed : answeredOk).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void error(Broker broker, ErrorKind kind) {
    errors[kind.ordinal()].increment();
  }

  @Override
  public void bytesReceived(Broker broker, int bytes) {
    bytesReceived.increment(bytes);
  }

  @Override
  public void bytesSent(Broker broker, int bytes) {
    bytesSent.increment(bytes);
  }

  @Override
  public void pendingCallsChanged(Broker broker, int delta) {
    pending.addAndGet(delta);
  }

  @Override
  public void exportedReferencesChanged(Broker broker, int delta) {
    exported.addAndGet(delta);
  }

  @Override
  public void login(Broker broker, LoginOutcome outcome) {
    logins[outcome.ordinal()].increment();
  }
}
