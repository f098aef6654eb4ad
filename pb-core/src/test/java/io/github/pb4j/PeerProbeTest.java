package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dead-peer probe against a scripted peer: what it sends, that an answer (or any bytes) keeps
 * the connection, that silence closes it with every pending call failed as lost and disconnect
 * callbacks run once, and that pb4j answers another pb4j's probe as Twisted does.
 */
@Timeout(30)
class PeerProbeTest {
  private static final PeerProbe FAST = PeerProbe.of(Duration.ofMillis(100), Duration.ofMillis(300));
  private static final String PROBE_TAIL = ", -1, b'pb4j_probe', 1, [b'tuple'], [b'dictionary']]";

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

  /** Waits for {@code condition}, checking every 10 ms, up to 10 s. */
  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }

  private static long probes(ScriptedPeer peer) {
    return peer.receivedExpressions().stream().filter(e -> e.startsWith("[b'message'") && e.endsWith(PROBE_TAIL)).count();
  }

  @Test
  void aServerProbesASilentClientKeepsItWhileItAnswersAndClosesItWhenItStops() throws Exception {
    BrokerOptions options = BrokerOptions.builder().serverProbe(FAST).build();
    try (ScriptedPeer client = ScriptedPeer.againstServer(new CallDeadlineTest.SlowRoot(), options)) {
      AtomicInteger disconnects = new AtomicInteger();
      client.broker().notifyOnDisconnect(disconnects::incrementAndGet);
      client.handshakeAsClient();
      for (int i = 1; i <= 3; i++) {
        int n = i;
        awaitUntil(() -> probes(client) == n);
        assertThat(client.receivedExpressions()).contains("[b'message', " + n + PROBE_TAIL);
        // Twisted's answer: an error, a CopyableFailure of pb.Error('Invalid Object ID').
        client.send(pb(b("error"), n, b("Invalid Object ID")));
        assertThat(client.isClosed()).isFalse();
      }
      awaitUntil(() -> probes(client) == 4);
      awaitUntil(client::isClosed); // no answer to the fourth
      client.call(() -> null);
      assertThat(disconnects).hasValue(1);
      assertThat(client.broker().isConnected()).isFalse();
    }
  }

  @Test
  void aClientProbeFailsPendingCallsAsLostWhenTheServerIsSilent() throws Exception {
    BrokerOptions options = BrokerOptions.builder().clientProbe(FAST).build();
    try (ScriptedPeer server = ScriptedPeer.againstClient(options)) {
      server.send(encode(Dialect.NONE, List.of(b("pb"), b("none"))));
      server.send(pb(b("version"), 6));
      RemoteReference root = server.broker().rootObject().get(5, TimeUnit.SECONDS);
      CompletableFuture<@Nullable Object> call = root.callRemote("hang");
      Throwable t = CallDeadlineTest.failure(call);
      assertThat(t).isInstanceOf(ConnectionLostException.class).hasRootCauseInstanceOf(TimeoutException.class);
      assertThat(t.getMessage()).contains("did not answer a probe");
      assertThat(probes(server)).isEqualTo(1);
    }
  }

  @Test
  void noProbeIsSentWhileThePeerKeepsTalking() throws Exception {
    BrokerOptions options = BrokerOptions.builder().serverProbe(FAST).build();
    try (ScriptedPeer client = ScriptedPeer.againstServer(new CallDeadlineTest.SlowRoot(), options)) {
      client.handshakeAsClient();
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
      int id = 1;
      while (System.nanoTime() < end) {
        client.send(pb(b("message"), id, b("root"), b("fast"), 1, List.of(b("tuple")), List.of(b("dictionary"))));
        String answer = "[b'answer', " + id + ",";
        awaitUntil(() -> client.receivedExpressions().stream().anyMatch(e -> e.startsWith(answer)));
        id++;
        Thread.sleep(40); // a client that talks every 40 ms, below the 100 ms interval
      }
      assertThat(probes(client)).isZero();
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  void pb4jAnswersTheProbeWithAnErrorAndRunsNothing() throws Exception {
    try (ScriptedPeer client = ScriptedPeer.againstServer(new CallDeadlineTest.SlowRoot())) {
      client.handshakeAsClient();
      client.send(pb(b("message"), 1, -1, b("pb4j_probe"), 1, List.of(b("tuple")), List.of(b("dictionary"))));
      awaitUntil(() -> client.receivedExpressions().stream().anyMatch(e -> e.startsWith("[b'error', 1, ")));
      assertThat(client.receivedExpressions().stream().filter(e -> e.startsWith("[b'error', 1, ")).findFirst())
          .hasValueSatisfying(e -> assertThat(e).contains("Invalid Object ID"));
      assertThat(client.isClosed()).isFalse();
    }
  }

  @Test
  void probeSettingsAreChecked() {
    assertThat(PeerProbe.OFF.enabled()).isFalse();
    assertThat(BrokerOptions.DEFAULT.serverProbe()).isEqualTo(PeerProbe.SERVER_DEFAULT);
    assertThat(BrokerOptions.DEFAULT.clientProbe()).isEqualTo(PeerProbe.OFF);
    assertThat(BrokerOptions.DEFAULT.callTimeout()).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> PeerProbe.of(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("probe:");
    assertThatThrownBy(() -> PeerProbe.of(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CallOptions.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BrokerOptions.builder().callTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
