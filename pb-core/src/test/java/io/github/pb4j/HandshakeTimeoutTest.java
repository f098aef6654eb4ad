package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class HandshakeTimeoutTest {
  private static final BrokerOptions QUICK =
      BrokerOptions.builder().handshakeTimeout(Duration.ofMillis(100)).build();

  public static final class Root implements io.github.pb4j.Root {
    @Remote
    public String ping() {
      return "pong";
    }
  }

  private static CompletableFuture<Void> disconnection(ScriptedPeer peer) {
    CompletableFuture<Void> lost = new CompletableFuture<>();
    peer.broker().notifyOnDisconnect(() -> lost.complete(null));
    return lost;
  }

  @Test
  void aServerClosesAClientThatNeverChoosesADialect() throws Exception {
    try (ScriptedPeer peer = ScriptedPeer.againstServer(new Root(), QUICK)) {
      CompletableFuture<Void> lost = disconnection(peer);

      lost.get(5, TimeUnit.SECONDS);
      assertThat(peer.isClosed()).isTrue();
      assertThat(peer.receivedExpressions()).containsExactly("[b'pb', b'none']"); // the offer only
    }
  }

  @Test
  void aClientGivesUpOnASilentServerAndSaysWhy() {
    try (ScriptedPeer peer = ScriptedPeer.againstClient(QUICK)) {
      CompletableFuture<RemoteReference> root = peer.broker().rootObject();

      assertThatThrownBy(() -> root.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(ConnectionLostException.class)
          .hasMessageContaining("no PB handshake from the peer within 100 ms")
          .hasCauseInstanceOf(PbProtocolException.class);
    }
  }

  @Test
  void aFinishedHandshakeIsNotTimedOut() throws Exception {
    try (ScriptedPeer peer = ScriptedPeer.againstServer(new Root(), QUICK)) {
      peer.handshakeAsClient();
      // Wait on the broker's own executor until well past the limit.
      peer.broker().executor().schedule(() -> null, 300, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);

      assertThat(peer.isClosed()).isFalse();
      assertThat(peer.broker().isConnected()).isTrue();
    }
  }

  @Test
  void anExecutorThatCannotScheduleIsAClearError() {
    RecordingSink sink = new RecordingSink();
    Broker broker = Broker.server(new Root(), BrokerOptions.DEFAULT, sink,
        io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE);

    assertThatThrownBy(broker::connectionMade)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("handshakeTimeout(Duration.ZERO)");
    assertThat(sink.written()).isEmpty(); // not even the dialect offer
  }

  @Test
  void zeroMeansNoLimit() {
    BrokerOptions none = BrokerOptions.builder().handshakeTimeout(Duration.ZERO).build();
    assertThat(none.handshakeTimeout()).isZero();
    // No timer is set: an executor that cannot schedule serves, and a silent peer stays.
    RecordingSink sink = new RecordingSink();
    Broker server = Broker.server(new Root(), none, sink,
        io.netty.util.concurrent.ImmediateEventExecutor.INSTANCE);
    server.connectionMade();
    assertThat(sink.written()).hasSize(1); // the dialect offer
    assertThat(server.isConnected()).isTrue();
    assertThat(BrokerOptions.DEFAULT.handshakeTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> BrokerOptions.builder().handshakeTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BrokerOptions.builder().handshakeTimeout(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 for none");
  }
}
