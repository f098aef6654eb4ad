package io.github.pb4j;

import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.Jellier;
import io.github.pb4j.jelly.JellyRegistry;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a connection's {@link Broker}. Defaults are Twisted's: 640 KiB strings and lists,
 * 1024 exported objects per connection, tracebacks not sent, dialects {@code pb} then {@code none}.
 *
 * <p><em>Immutable.</em>
 */
public final class BrokerOptions {
  /** Twisted's {@code MAX_BROKER_REFS}. */
  public static final int DEFAULT_MAX_BROKER_REFS = 1024;

  /** The defaults. */
  public static final BrokerOptions DEFAULT = builder().build();

  private final BananaLimits bananaLimits;
  private final JellyRegistry registry;
  private final int maxBrokerRefs;
  private final boolean unsafeTracebacks;
  private final int maxDepth;
  private final List<Dialect> dialects;

  private BrokerOptions(Builder b) {
    this.bananaLimits = b.bananaLimits;
    this.registry = b.registry;
    this.maxBrokerRefs = b.maxBrokerRefs;
    this.unsafeTracebacks = b.unsafeTracebacks;
    this.maxDepth = b.maxDepth;
    this.dialects = List.copyOf(b.dialects);
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

  /** Builds {@link BrokerOptions}. <em>Not thread-safe.</em> */
  public static final class Builder {
    private BananaLimits bananaLimits = BananaLimits.DEFAULT;
    private JellyRegistry registry = JellyRegistry.EMPTY;
    private int maxBrokerRefs = DEFAULT_MAX_BROKER_REFS;
    private boolean unsafeTracebacks;
    private int maxDepth = Jellier.DEFAULT_MAX_DEPTH;
    private List<Dialect> dialects = List.of(Dialect.PB, Dialect.NONE);

    private Builder() {}

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

    public BrokerOptions build() {
      return new BrokerOptions(this);
    }
  }
}
