package io.github.pb4j.benchmarks;

import io.github.pb4j.RemoteReference;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.PbServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * One {@code callRemote} round trip over TCP loopback, server and client in this JVM: a {@link
 * PbServer} serving {@link EchoRoot} on its own event loop, a {@link PbClient} on another, and the
 * benchmark thread blocking on each answer. Includes two thread hand-offs per call (caller to the
 * client's event loop and back), which a caller chaining calls on the event loop avoids; {@link
 * LoadTool} measures that case, across two processes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class CallRemoteBenchmark {
  private static final long TIMEOUT_SECONDS = 10;

  private final List<Map<String, Object>> payload = AnchorPayload.create();
  private @Nullable PbServer server;
  private @Nullable PbClient client;
  private @Nullable RemoteReference root;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    PbServer s =
        PbServer.builder().port(0).eventLoopThreads(1).root(new EchoRoot()).build().start();
    server = s;
    PbClient c = PbClient.builder().host("127.0.0.1").port(s.port()).build();
    client = c;
    root = c.getRootObject().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!"hello".equals(echoHello()) || !payload.equals(echoAnchor())) {
      throw new IllegalStateException("echo returned something else");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Benchmark
  public @Nullable Object echoHello()
      throws InterruptedException, ExecutionException, TimeoutException {
    return root().callRemote("echo", "hello").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Benchmark
  public @Nullable Object echoAnchor()
      throws InterruptedException, ExecutionException, TimeoutException {
    return root().callRemote("echo", payload).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private RemoteReference root() {
    RemoteReference r = root;
    if (r == null) {
      throw new IllegalStateException("not set up");
    }
    return r;
  }
}
