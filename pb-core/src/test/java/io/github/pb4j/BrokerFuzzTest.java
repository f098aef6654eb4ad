package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaException;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.banana.SexpFormatter;
import io.github.pb4j.jelly.testing.JellyAssertions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Coverage-guided fuzzing of the broker's message handling (docs/fuzzing.md). A server broker is
 * given the handshake of a Twisted client, then the input as the peer's bytes, in up to four
 * reads cut where the input's own bytes say; so is a client broker, after a Twisted server's
 * handshake and three calls of its own (request ids 1 to 3) that the input may answer. Each
 * once reading in one pass where it can, once through the Banana tree only:
 *
 * <ul>
 *   <li>{@link Broker#receive} never throws and returns within a bound;
 *   <li>the broker either stays open or closes with a clear error, a {@link PbProtocolException}
 *       with a message;
 *   <li>everything it writes is whole Banana expressions;
 *   <li>the two ways of reading give the same answers, the same results of our calls and the
 *       same verdict (a peer cannot tell them apart);
 *   <li>no state grows that the peer was not given: no call pending but ours still unanswered,
 *       no export but the root and what the root handed out, and nothing at all once the
 *       connection is lost, when every call of ours has ended.
 * </ul>
 */
@Timeout(10)
class BrokerFuzzTest {
  /** Root of the fuzzed server: a few methods, one of which hands out exports. */
  public static final class Root implements Referenceable {
    int handedOut;

    @Remote
    public @Nullable Object echo(@Nullable Object x) {
      return x;
    }

    @Remote
    public int add(int a, @Param(value = "b", defaultValue = "0") int b) {
      return a + b;
    }

    @Remote
    public String greet(String name) {
      return "hello " + name;
    }

    @Remote
    public Child child() {
      handedOut++;
      return new Child();
    }
  }

  /** An object the root hands out; exported while the peer holds it. */
  public static final class Child implements Referenceable {
    @Remote
    public int ping(int x) {
      return x;
    }
  }

  /** A Twisted client's first bytes: the dialect it chose, its version. */
  private static final byte[] CLIENT_HANDSHAKE = ByteString.fromHex("02827062" + "028013870681").toByteArray();
  /** A Twisted server's first bytes: its dialect offer, its version. */
  private static final byte[] SERVER_HANDSHAKE =
      ByteString.fromHex("02800282706204826e6f6e65" + "028013870681").toByteArray();
  private static final BrokerOptions OPTIONS = BrokerOptions.builder().handshakeTimeout(java.time.Duration.ZERO).build();

  private static EventExecutor executor;
  private static Level savedLevel;

  @BeforeAll
  static void start() {
    executor = new DefaultEventExecutor();
    // Every refused input is a warning; fuzzing makes millions of them.
    Logger pb4j = (Logger) LoggerFactory.getLogger("io.github.pb4j");
    savedLevel = pb4j.getLevel();
    pb4j.setLevel(Level.ERROR);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger("io.github.pb4j")).setLevel(savedLevel);
    executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @FuzzTest
  void receive(byte[] input) throws Exception {
    List<byte[]> reads = splitByContent(input);
    for (boolean server : new boolean[] {true, false}) {
      Session onePass = run(reads, server, true);
      Session treeOnly = run(reads, server, false);
      String what = (server ? "server" : "client") + ", " + ByteString.of(input).hex();
      assertThat(onePass.closedBecause).as("verdict, one pass vs tree, %s", what).isEqualTo(treeOnly.closedBecause);
      assertThat(onePass.written).as("written, one pass vs tree, %s", what).isEqualTo(treeOnly.written);
      assertThat(onePass.calls).as("our calls, one pass vs tree, %s", what).hasSameSizeAs(treeOnly.calls);
      for (int i = 0; i < onePass.calls.size(); i++) {
        Object a = onePass.calls.get(i);
        Object b = treeOnly.calls.get(i);
        if (a instanceof Throwable ta && b instanceof Throwable tb) {
          assertThat(ta.getClass()).as("call %d failed alike, %s", i, what).isEqualTo(tb.getClass());
          assertThat(ta.getMessage()).as("call %d failed alike, %s", i, what).isEqualTo(tb.getMessage());
        } else {
          JellyAssertions.assertSameGraph(b, a);
        }
      }
    }
  }

  /**
   * What the peer saw: the expressions written, and why the broker closed, if it did; on the
   * client, also what became of its calls (a value or the exception).
   */
  private record Session(List<String> written, @Nullable String closedBecause, List<@Nullable Object> calls) {}

  private static Session run(List<byte[]> reads, boolean server, boolean onePassAllowed) throws Exception {
    io.netty.util.concurrent.Future<Session> session = executor.submit(() -> {
      Sink sink = new Sink();
      Root root = new Root();
      Broker broker = server ? Broker.server(root, OPTIONS, sink, executor) : Broker.client(OPTIONS, sink, executor);
      if (!onePassAllowed) {
        BrokerTestAccess.disableOnePassReading(broker);
      }
      broker.connectionMade();
      List<CompletableFuture<@Nullable Object>> calls = new ArrayList<>();
      if (server) {
        broker.receive(Unpooled.wrappedBuffer(CLIENT_HANDSHAKE));
      } else {
        broker.receive(Unpooled.wrappedBuffer(SERVER_HANDSHAKE));
        RemoteReference peerRoot = broker.rootObject().getNow(null);
        assertThat(peerRoot).as("root after the handshake").isNotNull();
        // Request ids 1, 2 and 3: what the input may answer.
        calls.add(peerRoot.callRemote("echo", 1));
        calls.add(peerRoot.callRemote("echo", "x"));
        calls.add(peerRoot.callRemote("add", 1, 2));
      }
      for (byte[] read : reads) {
        ByteBuf buf = Unpooled.wrappedBuffer(read);
        broker.receive(buf);
        assertThat(buf.refCnt()).as("receive does not take the buffer").isEqualTo(1);
        buf.release();
      }
      String closedBecause = null;
      CompletableFuture<@Nullable Void> writable = broker.whenWritable();
      if (sink.closed) {
        assertThat(writable).isCompletedExceptionally();
        Throwable lost = catchCause(writable);
        assertThat(lost).isInstanceOf(ConnectionLostException.class);
        assertThat(lost.getCause()).as("why it closed").isInstanceOf(PbProtocolException.class);
        closedBecause = lost.getCause().getMessage();
        assertThat(closedBecause).isNotBlank();
      } else {
        long open = calls.stream().filter(c -> !c.isDone()).count();
        assertThat(BrokerTestAccess.pendingCount(broker)).as("calls of ours pending").isEqualTo((int) open);
        assertThat(BrokerTestAccess.exportedCount(broker)).as("exports").isLessThanOrEqualTo(1 + root.handedOut);
      }
      broker.connectionLost(null);
      assertThat(BrokerTestAccess.exportedCount(broker)).as("exports once lost").isZero();
      assertThat(BrokerTestAccess.importedCount(broker)).as("imports once lost").isZero();
      assertThat(BrokerTestAccess.pendingCount(broker)).as("pending once lost").isZero();
      assertThat(BrokerTestAccess.exportedCacheCount(broker)).as("caches copied once lost").isZero();
      assertThat(BrokerTestAccess.heldCacheCount(broker)).as("cache copies once lost").isZero();
      List<@Nullable Object> outcomes = new ArrayList<>();
      for (CompletableFuture<@Nullable Object> call : calls) {
        assertThat(call).as("every call ends when the connection does").isDone();
        outcomes.add(call.isCompletedExceptionally() ? catchCause(call) : call.getNow(null));
      }
      return new Session(sink.expressions(), closedBecause, outcomes);
    });
    try {
      // Generous: the first inputs also load and instrument the broker's classes.
      return session.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the broker did not return from its work within 30 s", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new AssertionError("the broker threw", e.getCause());
    }
  }

  private static Throwable catchCause(CompletableFuture<?> future) {
    try {
      future.join();
      throw new AssertionError("completed normally");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  /** Cuts the input into up to four reads at offsets taken from its own bytes. */
  static List<byte[]> splitByContent(byte[] input) {
    List<byte[]> chunks = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < 3 && from < input.length; i++) {
      int cut = Math.min(input.length,
          from + 1 + Math.floorMod(input[(from * 7 + i) % input.length], Math.max(1, input.length - from)));
      chunks.add(Arrays.copyOfRange(input, from, cut));
      from = cut;
    }
    chunks.add(Arrays.copyOfRange(input, from, input.length));
    return chunks;
  }

  /** The transport: keeps what the broker writes. */
  private static final class Sink implements MessageSink {
    private final ByteBuf written = Unpooled.buffer();
    boolean closed;

    @Override
    public ByteBufAllocator alloc() {
      return UnpooledByteBufAllocator.DEFAULT;
    }

    @Override
    public void write(ByteBuf message) {
      try {
        if (!closed) {
          written.writeBytes(message);
        }
      } finally {
        message.release();
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      closed = true;
    }

    /** The expressions written, rendered; the dialect switches to pb after the first (the offer). */
    List<String> expressions() {
      BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT, Dialect.NONE);
      List<String> result = new ArrayList<>();
      try {
        Object e;
        while ((e = decoder.decode(written)) != null) {
          // A failure's count numbers every failure made in the process, as Twisted's does, and
          // a message may name a reference by its connection's number: neither is the peer's doing.
          result.add(SexpFormatter.format(e)
              .replaceAll("b'count'\\], \\d+\\]", "b'count'], N]")
              .replaceAll("\\[conn \\d+,", "[conn N,"));
          decoder.setDialect(Dialect.PB);
        }
      } catch (BananaException e) {
        throw new AssertionError("the broker wrote invalid Banana after " + result, e);
      }
      assertThat(written.readableBytes()).as("bytes of an unfinished expression, after %s", result).isZero();
      written.release();
      return result;
    }
  }
}
