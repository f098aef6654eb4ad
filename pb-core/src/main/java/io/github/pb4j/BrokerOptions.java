package io.github.pb4j;

import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.Jellier;
import io.github.pb4j.jelly.JellyRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a connection's {@link Broker}. Defaults are Twisted's: 640 KiB strings and lists,
 * no bound on a whole message, 1024 exported objects per connection, tracebacks not sent, dialects
 * {@code pb} then {@code none}; and, where Twisted has no limit, a peer must finish the handshake
 * within 30 seconds, the input a connection holds is bounded by an {@link InputBudget} (1/8 of
 * the heap per connection, 1/4 for all connections together), and a server probes a client that
 * has been silent for 60 seconds ({@link PeerProbe}). Calls have no deadline by default.
 *
 * <p><em>Immutable.</em>
 */
public final class BrokerOptions {
  /** The default of {@link Builder#maxCallsInProgress}. */
  public static final int DEFAULT_MAX_CALLS_IN_PROGRESS = 1000;

  /** Twisted's {@code MAX_BROKER_REFS}. */
  public static final int DEFAULT_MAX_BROKER_REFS = 1024;

  /** How long a peer has to finish the handshake by default. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration MAX_HANDSHAKE_TIMEOUT = Duration.ofDays(1);

  private static final Duration MAX_CALL_TIMEOUT = Duration.ofDays(365);

  /**
   * The default bound on the input one connection holds: half the {@link InputBudget#process()
   * process budget}, that is 1/8 of the maximum heap.
   */
  public static final long DEFAULT_MAX_INPUT_PER_CONNECTION = InputBudget.process().capacity() / 2;

  /** The defaults. */
  public static final BrokerOptions DEFAULT = builder().build();

  private final BananaLimits bananaLimits;
  private final JellyRegistry registry;
  private final int maxBrokerRefs;
  private final boolean unsafeTracebacks;
  private final int maxDepth;
  private final List<Dialect> dialects;
  private final Map<ByteString, Function<@Nullable Object, ? extends RemoteCache>> remoteCaches;
  private final Duration handshakeTimeout;
  private final long maxInputPerConnection;
  private final long maxOutputPerConnection;
  private final InputBudget inputBudget;
  private final Duration callTimeout;
  private final PeerProbe serverProbe;
  private final PeerProbe clientProbe;
  private final int maxCallsInProgress;
  private final PbObserver observer;

  private BrokerOptions(Builder b) {
    this.bananaLimits = b.bananaLimits;
    this.registry = b.registry;
    this.maxBrokerRefs = b.maxBrokerRefs;
    this.unsafeTracebacks = b.unsafeTracebacks;
    this.maxDepth = b.maxDepth;
    this.dialects = List.copyOf(b.dialects);
    this.remoteCaches = Map.copyOf(b.remoteCaches);
    this.handshakeTimeout = b.handshakeTimeout;
    this.maxInputPerConnection = b.maxInputPerConnection;
    this.maxOutputPerConnection = b.maxOutputPerConnection;
    this.inputBudget = b.inputBudget;
    this.callTimeout = b.callTimeout;
    this.serverProbe = b.serverProbe;
    this.clientProbe = b.clientProbe;
    this.maxCallsInProgress = b.maxCallsInProgress;
    this.observer = b.observer;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.bananaLimits = bananaLimits;
    b.registry = registry;
    b.maxBrokerRefs = maxBrokerRefs;
    b.unsafeTracebacks = unsafeTracebacks;
    b.maxDepth = maxDepth;
    b.dialects = dialects;
    b.remoteCaches.putAll(remoteCaches);
    b.handshakeTimeout = handshakeTimeout;
    b.maxInputPerConnection = maxInputPerConnection;
    b.maxOutputPerConnection = maxOutputPerConnection;
    b.inputBudget = inputBudget;
    b.callTimeout = callTimeout;
    b.serverProbe = serverProbe;
    b.clientProbe = clientProbe;
    b.maxCallsInProgress = maxCallsInProgress;
    b.observer = observer;
    return b;
  }

  public BananaLimits bananaLimits() {
    return bananaLimits;
  }

  /** Returns the registry of pass-by-copy types this connection sends and accepts. */
  public JellyRegistry registry() {
    return registry;
  }

  public int maxBrokerRefs() {
    return maxBrokerRefs;
  }

  /** Returns true if failures sent to the peer carry the Java stack trace (Twisted's {@code unsafeTracebacks}). */
  public boolean unsafeTracebacks() {
    return unsafeTracebacks;
  }

  public int maxDepth() {
    return maxDepth;
  }

  /** Returns the dialects offered (server) or accepted (client), in preference order. */
  public List<Dialect> dialects() {
    return dialects;
  }

  /**
   * Returns how long the peer has, from the start of the connection, to finish the handshake (the
   * server's dialect offer, the client's choice); {@link Duration#ZERO} for no limit.
   */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /**
   * Returns the most input, in bytes, one connection may hold while a message is incomplete: its
   * bytes as received plus what is already decoded of it (see {@link InputBudget}).
   */
  public long maxInputPerConnection() {
    return maxInputPerConnection;
  }

  /**
   * Returns the most bytes the transport may queue for the peer, written but not yet taken by its
   * socket.
   */
  public long maxOutputPerConnection() {
    return maxOutputPerConnection;
  }

  /** Returns the budget this connection shares with others for the input it holds. */
  public InputBudget inputBudget() {
    return inputBudget;
  }

  /**
   * Returns the deadline of calls made without {@link CallOptions}: {@link Duration#ZERO} (the
   * default) for none, as in Twisted.
   */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** Returns the dead-peer probe of server connections; {@link PeerProbe#SERVER_DEFAULT} by default. */
  public PeerProbe serverProbe() {
    return serverProbe;
  }

  /** Returns the dead-peer probe of client connections; {@link PeerProbe#OFF} by default. */
  public PeerProbe clientProbe() {
    return clientProbe;
  }

  /**
   * Returns how many calls of the peer may be in progress (received, not yet answered) before the
   * connection stops reading from the peer until some are answered.
   */
  public int maxCallsInProgress() {
    return maxCallsInProgress;
  }

  /** Returns the observer of this connection's events ({@link PbObserver#NONE} by default). */
  public PbObserver observer() {
    return observer;
  }

  /** Returns the factory of the {@link RemoteCache} registered for a wire type name, or null. */
  @Nullable Function<@Nullable Object, ? extends RemoteCache> remoteCache(ByteString wireName) {
    return remoteCaches.get(wireName);
  }

  /** Builds {@link BrokerOptions}. <em>Not thread-safe.</em> */
  public static final class Builder {
    private BananaLimits bananaLimits = BananaLimits.DEFAULT;
    private JellyRegistry registry = JellyRegistry.EMPTY;
    private int maxBrokerRefs = DEFAULT_MAX_BROKER_REFS;
    private boolean unsafeTracebacks;
    private int maxDepth = Jellier.DEFAULT_MAX_DEPTH;
    private List<Dialect> dialects = List.of(Dialect.PB, Dialect.NONE);
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private long maxInputPerConnection = DEFAULT_MAX_INPUT_PER_CONNECTION;
    private long maxOutputPerConnection = DEFAULT_MAX_INPUT_PER_CONNECTION;
    private InputBudget inputBudget = InputBudget.process();
    private Duration callTimeout = Duration.ZERO;
    private PeerProbe serverProbe = PeerProbe.SERVER_DEFAULT;
    private PeerProbe clientProbe = PeerProbe.OFF;
    private int maxCallsInProgress = DEFAULT_MAX_CALLS_IN_PROGRESS;
    private PbObserver observer = PbObserver.NONE;
    private final Map<ByteString, Function<@Nullable Object, ? extends RemoteCache>> remoteCaches =
        new LinkedHashMap<>();

    private Builder() {}

    /**
     * Accepts copies of the {@link Cacheable} type {@code wireName}, built from the received state
     * by {@code factory}. Twisted's {@code setUnjellyableForClass} for a {@code RemoteCache}.
     */
    public Builder remoteCache(String wireName, Function<@Nullable Object, ? extends RemoteCache> factory) {
      remoteCaches.put(ByteString.utf8(wireName), Objects.requireNonNull(factory, "factory"));
      return this;
    }

    public Builder bananaLimits(BananaLimits limits) {
      this.bananaLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    public Builder registry(JellyRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    public Builder maxBrokerRefs(int maxBrokerRefs) {
      if (maxBrokerRefs < 1) {
        throw new IllegalArgumentException("maxBrokerRefs: " + maxBrokerRefs + " (expected: >= 1)");
      }
      this.maxBrokerRefs = maxBrokerRefs;
      return this;
    }

    /** Sends Java stack traces to peers in failures. Off by default: they reveal internals. */
    public Builder unsafeTracebacks(boolean unsafeTracebacks) {
      this.unsafeTracebacks = unsafeTracebacks;
      return this;
    }

    public Builder maxDepth(int maxDepth) {
      if (maxDepth < 1) {
        throw new IllegalArgumentException("maxDepth: " + maxDepth + " (expected: >= 1)");
      }
      this.maxDepth = maxDepth;
      return this;
    }

    public Builder dialects(List<Dialect> dialects) {
      if (dialects.isEmpty()) {
        throw new IllegalArgumentException("dialects: empty (expected: at least one)");
      }
      this.dialects = List.copyOf(dialects);
      return this;
    }

    /**
     * Closes a connection whose peer has not finished the handshake after {@code timeout}: a
     * server is not held by clients that connect and say nothing, nor a client by a silent
     * server. Twisted has no such limit; its peers finish the handshake in one round trip.
     * Default 30 s, at most 1 day; {@link Duration#ZERO} for none. The broker's executor must be able to
     * schedule tasks unless it is zero.
     */
    public Builder handshakeTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.compareTo(MAX_HANDSHAKE_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            "handshakeTimeout: " + timeout + " (expected: 0 for none, or up to 1 day)");
      }
      this.handshakeTimeout = timeout;
      return this;
    }

    /**
     * Bounds the input one connection may hold while a message is incomplete: the bytes received
     * of it and the part already decoded, estimated in heap bytes (a decoded value costs more than
     * its bytes). A connection that would hold more is closed, with the reason logged. Twisted has
     * no such bound: it grows until the process runs out of memory. Default {@link
     * #DEFAULT_MAX_INPUT_PER_CONNECTION} (1/8 of the maximum heap); a message needs about twice
     * its size in bytes, or more if it is made of many small values.
     */
    public Builder maxInputPerConnection(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxInputPerConnection: " + bytes + " (expected: >= 1)");
      }
      this.maxInputPerConnection = bytes;
      return this;
    }

    /**
     * Bounds the bytes queued for the peer, written but not yet taken by its socket: a peer that
     * stops reading while this side keeps sending to it (answers, or messages the application
     * forwards, such as a chat group's) is dropped, with the reason logged, instead of growing
     * the queue until the process runs out of memory, as Twisted does. Reading from a peer already
     * pauses while more than 1 MiB is queued for it, so this bounds what the application sends on
     * its own. Default 1/8 of the maximum heap, as {@link #DEFAULT_MAX_INPUT_PER_CONNECTION}.
     * Enforced by the Netty transport.
     */
    public Builder maxOutputPerConnection(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxOutputPerConnection: " + bytes + " (expected: >= 1)");
      }
      this.maxOutputPerConnection = bytes;
      return this;
    }

    /**
     * Sets the budget connections with these options share for the input they hold. Default {@link
     * InputBudget#process()}, 1/4 of the maximum heap, shared by every connection of the process.
     */
    public Builder inputBudget(InputBudget budget) {
      this.inputBudget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /**
     * Sets the deadline of every call made without {@link CallOptions}, counted from the moment
     * the call is made: when it passes, the call's future fails with {@link
     * java.util.concurrent.TimeoutException} and a late answer is dropped (what it carries is
     * released). The peer still runs the call: PB has no way to cancel it. Default {@link
     * Duration#ZERO}, no deadline, as in Twisted; at most 365 days. The broker's executor must be
     * able to schedule tasks unless it is zero.
     */
    public Builder callTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.compareTo(MAX_CALL_TIMEOUT) > 0) {
        throw new IllegalArgumentException("callTimeout: " + timeout + " (expected: 0 for none, or up to 365 days)");
      }
      this.callTimeout = timeout;
      return this;
    }

    /**
     * Sets the dead-peer probe of both server and client connections; {@link PeerProbe#OFF} turns
     * it off. See {@link #serverProbe} and {@link #clientProbe} for the defaults.
     */
    public Builder probe(PeerProbe probe) {
      this.serverProbe = Objects.requireNonNull(probe, "probe");
      this.clientProbe = probe;
      return this;
    }

    /**
     * Sets the dead-peer probe of server connections. Default {@link PeerProbe#SERVER_DEFAULT}: a
     * probe after 60 s of silence, and the connection closed if the client sends nothing in the
     * 30 s that follow, so that the avatar of a client whose machine vanished is logged out
     * within 90 s. Twisted has no such probe: a half-open connection stays until TCP gives up,
     * hours later or never. On an executor that cannot schedule tasks (an in-memory test's
     * immediate executor) there is no probe.
     */
    public Builder serverProbe(PeerProbe probe) {
      this.serverProbe = Objects.requireNonNull(probe, "probe");
      return this;
    }

    /**
     * Sets the dead-peer probe of client connections. Default {@link PeerProbe#OFF}, as in Twisted;
     * a long-lived client (one that waits for the server to call it back) should turn it on.
     */
    public Builder clientProbe(PeerProbe probe) {
      this.clientProbe = Objects.requireNonNull(probe, "probe");
      return this;
    }

    /**
     * Bounds the calls of the peer in progress on one connection: received, and not yet answered
     * (a remote method returning a future that has not completed). Past it, the connection stops
     * reading from the peer until one is answered: back-pressure, not an error; what was already
     * read is still served. Twisted has no such bound. Default {@value
     * #DEFAULT_MAX_CALLS_IN_PROGRESS}. A remote method that waits for the same peer to answer a
     * call of its own must be allowed for: with every slot taken by such methods, the answers they
     * wait for would not be read.
     */
    public Builder maxCallsInProgress(int calls) {
      if (calls < 1) {
        throw new IllegalArgumentException("maxCallsInProgress: " + calls + " (expected: >= 1)");
      }
      this.maxCallsInProgress = calls;
      return this;
    }

    /** Reports the connection's events to {@code observer}. Default {@link PbObserver#NONE}. */
    public Builder observer(PbObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    public BrokerOptions build() {
      return new BrokerOptions(this);
    }
  }
}
