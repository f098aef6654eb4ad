package io.github.pb4j.benchmarks;

import io.github.pb4j.Broker;
import io.github.pb4j.BrokerOptions;
import io.github.pb4j.MessageSink;
import io.github.pb4j.RemoteReference;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU cost of one {@code echo("hello")} call with both brokers in memory on the benchmark
 * thread: the client encodes the call, the server reads it, invokes {@link EchoRoot#echo} and
 * encodes the answer, the client reads it and completes the future. No sockets, no thread
 * hand-off: what PB adds to each round trip of {@link LoadTool}'s scenario (b), on warm caches.
 * Buffers come from Netty's default allocator and are released after delivery, as the transport
 * does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class BrokerRoundTripBenchmark {
  private final Wire toServer = new Wire();
  private final Wire toClient = new Wire();
  private @Nullable Broker server;
  private @Nullable Broker client;
  private @Nullable RemoteReference root;

  @Setup(Level.Trial)
  public void setUp() {
    // The immediate executor cannot schedule; the handshake is done before set-up returns.
    BrokerOptions options = BrokerOptions.builder().handshakeTimeout(Duration.ZERO).build();
    Broker s = Broker.server(new EchoRoot(), options, toClient, ImmediateEventExecutor.INSTANCE);
    Broker c = Broker.client(options, toServer, ImmediateEventExecutor.INSTANCE);
    server = s;
    client = c;
    s.connectionMade();
    c.connectionMade();
    pump();
    CompletableFuture<RemoteReference> r = c.rootObject();
    pump();
    root = r.join();
    if (!"hello".equals(echoHello())) {
      throw new IllegalStateException("echo returned something else");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (client != null) {
      client.connectionLost(null);
    }
    if (server != null) {
      server.connectionLost(null);
    }
    toServer.discard();
    toClient.discard();
  }

  @Benchmark
  public @Nullable Object echoHello() {
    CompletableFuture<@Nullable Object> answer = root().callRemote("echo", "hello");
    pump();
    return answer.getNow(null);
  }

  /** Delivers queued messages both ways until none is left. */
  private void pump() {
    Broker s = server;
    Broker c = client;
    if (s == null || c == null) {
      throw new IllegalStateException("not set up");
    }
    while (toServer.deliverTo(s) | toClient.deliverTo(c)) {
      // until both directions are quiet
    }
  }

  private RemoteReference root() {
    RemoteReference r = root;
    if (r == null) {
      throw new IllegalStateException("not set up");
    }
    return r;
  }

  /** One direction: what a broker wrote, held until delivered. */
  private static final class Wire implements MessageSink {
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();

    @Override
    public ByteBufAllocator alloc() {
      return ByteBufAllocator.DEFAULT;
    }

    @Override
    public void write(ByteBuf message) {
      queue.add(message);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    void discard() {
      ByteBuf b;
      while ((b = queue.poll()) != null) {
        b.release();
      }
    }

    boolean deliverTo(Broker broker) {
      boolean any = false;
      ByteBuf b;
      while ((b = queue.poll()) != null) {
        any = true;
        try {
          broker.receive(b);
        } finally {
          b.release();
        }
      }
      return any;
    }
  }
}
