package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Late answers on the wire, against a scripted server: the references and cache copies in an
 * answer to a call that timed out or was cancelled are given back at once ({@code decref}, {@code
 * decache}), nothing is sent when the call ends, and an answer to a request never made still
 * closes the connection.
 */
@Timeout(30)
class LateAnswerWireTest {
  private static byte[] encode(Dialect dialect, Object sexp) {
    ByteBuf buf = Unpooled.buffer();
    try {
      new BananaEncoder(dialect, BananaLimits.DEFAULT).encode(sexp, buf);
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  private static ByteString b(String s) {
    return ByteString.ascii(s);
  }

  private static byte[] pb(Object... sexp) {
    return encode(Dialect.PB, List.of(sexp));
  }

  private static RemoteReference open(ScriptedPeer server) throws Exception {
    server.send(encode(Dialect.NONE, List.of(b("pb"), b("none"))));
    server.send(pb(b("version"), 6));
    return server.broker().rootObject().get(5, TimeUnit.SECONDS);
  }

  @Test
  void referencesInALateAnswerAreDecrefedOncePerOccurrence() throws Exception {
    try (ScriptedPeer server = ScriptedPeer.againstClient(BrokerOptions.DEFAULT)) {
      RemoteReference root = open(server);
      CompletableFuture<@Nullable Object> call = root.callRemote(CallOptions.timeout(Duration.ofMillis(30)), "get");
      assertThat(CallDeadlineTest.failure(call)).isInstanceOf(TimeoutException.class);
      int sentBefore = server.receivedExpressions().size();

      server.send(pb(b("answer"), 1, List.of(b("list"), List.of(b("remote"), 7), List.of(b("remote"), 7),
          List.of(b("remote"), 8))));
      List<String> out = server.receivedExpressions();
      assertThat(out.subList(sentBefore, out.size()))
          .containsExactly("[b'decref', 7]", "[b'decref', 7]", "[b'decref', 8]");
      assertThat(server.call(() -> BrokerTestAccess.importedCount(server.broker()))).isZero();
      assertThat(server.call(() -> BrokerTestAccess.pendingCount(server.broker()))).isZero();
      assertThat(server.isClosed()).isFalse();
    }
  }

  @Test
  void aCancelledCallSendsNothingAndItsLateErrorIsDroppedQuietly() throws Exception {
    try (ScriptedPeer server = ScriptedPeer.againstClient(BrokerOptions.DEFAULT)) {
      RemoteReference root = open(server);
      CompletableFuture<@Nullable Object> call = root.callRemote("get");
      server.call(() -> null);
      int sentBefore = server.receivedExpressions().size();
      call.cancel(false);
      assertThat(CallDeadlineTest.failure(call)).isInstanceOf(CancellationException.class);
      server.call(() -> null);
      assertThat(server.receivedExpressions()).hasSize(sentBefore); // PB has no cancel message
      assertThat(server.call(() -> BrokerTestAccess.pendingCount(server.broker()))).isZero();

      server.send(pb(b("error"), 1, b("too late")));
      assertThat(server.isClosed()).isFalse();
      assertThat(root.isConnected()).isTrue();
    }
  }

  @Test
  void aCacheCopyInALateAnswerIsDecachedAndAHeldCopyStaysHeld() throws Exception {
    BrokerOptions options = BrokerOptions.builder()
        .remoteCache("test.Counter", FlavoursTest.RemoteCounter::new).build();
    try (ScriptedPeer server = ScriptedPeer.againstClient(options)) {
      RemoteReference root = open(server);
      List<Object> state = List.of(b("dictionary"), List.of(List.of(b("unicode"), b("value")), 7));
      CompletableFuture<@Nullable Object> first = root.callRemote("counter");
      server.send(pb(b("answer"), 1, List.of(b("test.Counter"), 5, state)));
      Object held = first.get(5, TimeUnit.SECONDS);

      CompletableFuture<@Nullable Object> late = root.callRemote(CallOptions.timeout(Duration.ofMillis(30)), "counter");
      assertThat(CallDeadlineTest.failure(late)).isInstanceOf(TimeoutException.class);
      int sentBefore = server.receivedExpressions().size();
      server.send(pb(b("answer"), 2, List.of(b("cached"), 5)));
      List<String> out = server.receivedExpressions();
      assertThat(out.subList(sentBefore, out.size())).containsExactly("[b'decache', 5]");
      assertThat(server.call(() -> BrokerTestAccess.heldCacheCount(server.broker()))).isEqualTo(1);

      // The program's copy is still its own: released, it owes one decache (its own receipt).
      server.broker().releaseCache((RemoteCache) held);
      server.call(() -> null);
      out = server.receivedExpressions();
      assertThat(out.subList(sentBefore, out.size())).containsExactly("[b'decache', 5]", "[b'decache', 5]");
      assertThat(server.isClosed()).isFalse();
    }
  }

  @Test
  void anAnswerToARequestNeverMadeStillClosesTheConnection() throws Exception {
    try (ScriptedPeer server = ScriptedPeer.againstClient(BrokerOptions.DEFAULT)) {
      open(server);
      server.send(pb(b("answer"), 99, 1));
      assertThat(server.isClosed()).isTrue();
    }
  }
}
