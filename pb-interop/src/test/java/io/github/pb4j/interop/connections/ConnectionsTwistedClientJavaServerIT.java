package io.github.pb4j.interop.connections;

import static io.github.pb4j.interop.connections.ProbeLog.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.PeerProbe;
import io.github.pb4j.Remote;
import io.github.pb4j.Root;
import io.github.pb4j.netty.PbServer;
import io.github.pb4j.testing.TwistedPeer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Twisted 22.4 client ({@code connections_client.py}) against a Java server with a fast
 * dead-peer probe: an idle Twisted client is probed, answers, is not disconnected and logs nothing;
 * one that stops reading is closed by the probe, with the server's disconnect callbacks run once.
 */
@Timeout(60)
class ConnectionsTwistedClientJavaServerIT {
  private static final PeerProbe FAST = PeerProbe.of(Duration.ofMillis(200), Duration.ofMillis(800));

  public static final class EchoRoot implements Root {
    @Remote
    public Object echo(Object value) {
      return value;
    }
  }

  private static PbServer server(BlockingQueue<Long> disconnected) {
    return PbServer.builder().host("127.0.0.1").port(0).root(new EchoRoot())
        .options(BrokerOptions.builder().serverProbe(FAST).build())
        .onConnection(b -> b.notifyOnDisconnect(() -> disconnected.add(b.connectionId())))
        .build().start();
  }

  @Test
  void anIdleTwistedClientIsProbedNotDisconnectedAndLogsNothing() throws Exception {
    BlockingQueue<Long> disconnected = new LinkedBlockingQueue<>();
    try (PbServer server = server(disconnected);
        TwistedPeer twisted = TwistedPeer.startAndAwaitReady("connections_client.py", List.of())) {
      twisted.send("CONNECT " + server.port());
      twisted.awaitLine("CONNECTED"::equals, WAIT);
      twisted.send("ECHO 1");
      assertThat(twisted.awaitLine(l -> l.startsWith("ECHO ") || l.startsWith("FAILED"), WAIT)).isEqualTo("ECHO 1");
      List<String> logBefore = ProbeLog.logLines(twisted);

      ProbeLog.awaitProbes(twisted, 4); // idle for four probe intervals and more

      twisted.send("ECHO 2");
      assertThat(twisted.awaitLine(l -> l.startsWith("ECHO 2") || l.startsWith("FAILED"), WAIT)).isEqualTo("ECHO 2");
      assertThat(twisted.stdout().snapshot()).doesNotContain("DISCONNECTED");
      assertThat(disconnected).isEmpty();
      assertThat(server.connections()).hasSize(1);
      ProbeLog.assertLoggedNothingSince(twisted, logBefore);
    }
  }

  @Test
  void aTwistedClientThatStopsReadingIsClosedByTheProbe() throws Exception {
    BlockingQueue<Long> disconnected = new LinkedBlockingQueue<>();
    try (PbServer server = server(disconnected);
        TwistedPeer twisted = TwistedPeer.startAndAwaitReady("connections_client.py", List.of())) {
      twisted.send("CONNECT " + server.port());
      twisted.awaitLine("CONNECTED"::equals, WAIT);
      twisted.send("STOP_READING");
      twisted.awaitLine("PAUSED"::equals, WAIT);
      long start = System.nanoTime();

      assertThat(disconnected.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(800));
      assertThat(server.connections()).isEmpty();
      assertThat(disconnected.poll(300, TimeUnit.MILLISECONDS)).isNull(); // once
    }
  }
}
