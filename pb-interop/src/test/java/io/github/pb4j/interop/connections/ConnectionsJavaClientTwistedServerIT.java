package io.github.pb4j.interop.connections;

import static io.github.pb4j.interop.connections.ProbeLog.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.BrokerTestAccess;
import io.github.pb4j.CallOptions;
import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.PeerProbe;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.testing.TwistedPeer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Java client against an unmodified Twisted 22.4 server ({@code connections_server.py}): call
 * deadlines on a Deferred that never fires, late answers whose references are given back, and the
 * client's dead-peer probe, which Twisted answers without logging anything.
 */
@Timeout(60)
class ConnectionsJavaClientTwistedServerIT {
  private static final PeerProbe FAST = PeerProbe.of(Duration.ofMillis(200), Duration.ofMillis(800));

  private static Throwable failure(CompletableFuture<?> f) throws Exception {
    Throwable t = f.handle((v, e) -> e).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(t).as("failure of the call").isNotNull();
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static PbClient client(int port, BrokerOptions options) {
    return PbClient.builder().host("127.0.0.1").port(port).options(options).build();
  }

  @Test
  void thousandsOfDeadlinesOnADeferredThatNeverFiresLeaveNothingPending() throws Exception {
    try (TwistedPeer twisted = TwistedPeer.startServer("connections_server.py");
        PbClient client = client(twisted.port(), BrokerOptions.DEFAULT)) {
      RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
      List<CompletableFuture<@Nullable Object>> calls = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        calls.add(root.callRemote(CallOptions.timeout(Duration.ofMillis(300)), "never"));
      }
      for (CompletableFuture<@Nullable Object> call : calls) {
        assertThat(failure(call)).isInstanceOf(TimeoutException.class);
      }
      assertThat(BrokerTestAccess.onLoop(client.broker().orElseThrow(),
          () -> BrokerTestAccess.pendingCount(client.broker().orElseThrow()))).isZero();
      assertThat(root.callRemote("echo", 5).get(10, TimeUnit.SECONDS)).isEqualTo(5);
    }
  }

  @Test
  void referencesInALateAnswerAreGivenBackToTwisted() throws Exception {
    try (TwistedPeer twisted = TwistedPeer.startServer("connections_server.py");
        PbClient client = client(twisted.port(), BrokerOptions.DEFAULT)) {
      RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
      assertThat(root.callRemote("exported").get(10, TimeUnit.SECONDS)).isEqualTo(1); // the root
      CompletableFuture<@Nullable Object> late = root.callRemote(CallOptions.timeout(Duration.ofMillis(200)), "later");
      assertThat(failure(late)).isInstanceOf(TimeoutException.class);

      twisted.send("FIRE");
      assertThat(twisted.awaitLine(l -> l.startsWith("EXPORTED "), WAIT)).isEqualTo("EXPORTED 2");
      // The decrefs go out as the late answer is read; Twisted reads them before the next call.
      long end = System.nanoTime() + WAIT.toNanos();
      Object exported;
      do {
        exported = root.callRemote("exported").get(10, TimeUnit.SECONDS);
      } while (!Integer.valueOf(1).equals(exported) && System.nanoTime() < end);
      assertThat(exported).isEqualTo(1);
      assertThat(BrokerTestAccess.onLoop(client.broker().orElseThrow(),
          () -> BrokerTestAccess.importedCount(client.broker().orElseThrow()))).isZero();
    }
  }

  @Test
  void anIdleJavaClientProbesTwistedWhichAnswersAndLogsNothing() throws Exception {
    BrokerOptions options = BrokerOptions.builder().clientProbe(FAST).build();
    try (TwistedPeer twisted = TwistedPeer.startServer("connections_server.py");
        PbClient client = client(twisted.port(), options)) {
      RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
      assertThat(root.callRemote("echo", 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
      List<String> logBefore = ProbeLog.logLines(twisted);

      ProbeLog.awaitProbes(twisted, 4); // four intervals of silence, each probed and answered

      assertThat(client.isConnected()).isTrue();
      assertThat(root.callRemote("echo", 2).get(10, TimeUnit.SECONDS)).isEqualTo(2);
      ProbeLog.assertLoggedNothingSince(twisted, logBefore);
    }
  }

  @Test
  void aTwistedServerThatStopsReadingIsClosedByTheProbeAndCallsFailAsLost() throws Exception {
    BrokerOptions options = BrokerOptions.builder().clientProbe(FAST).build();
    try (TwistedPeer twisted = TwistedPeer.startServer("connections_server.py");
        PbClient client = client(twisted.port(), options)) {
      RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
      assertThat(root.callRemote("echo", 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
      twisted.send("STOP_READING");
      twisted.awaitLine("PAUSED"::equals, WAIT);

      CompletableFuture<@Nullable Object> hanging = root.callRemote("echo", 2);
      Throwable t = failure(hanging);
      assertThat(t).isInstanceOf(ConnectionLostException.class).hasRootCauseInstanceOf(TimeoutException.class);
      assertThat(client.isConnected()).isFalse();
    }
  }
}
