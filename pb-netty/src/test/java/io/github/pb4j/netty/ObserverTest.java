package io.github.pb4j.netty;

import static io.github.pb4j.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.Broker;
import io.github.pb4j.PbObserver;
import io.github.pb4j.RemoteReference;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a {@link PbObserver} hears from real connections. */
@Timeout(30)
class ObserverTest {
  /** Records events as words, and keeps the running totals of the deltas. */
  static final class Recording implements PbObserver {
    final List<String> events = new CopyOnWriteArrayList<>();
    final AtomicInteger pending = new AtomicInteger();
    final AtomicInteger exported = new AtomicInteger();
    final AtomicInteger bytesIn = new AtomicInteger();

    @Override
    public void connectionOpened(Broker broker) {
      events.add("opened");
    }

    @Override
    public void connectionClosed(Broker broker, CloseReason reason) {
      events.add("closed " + reason);
    }

    @Override
    public void handshakeFailed(Broker broker, HandshakeFailure failure) {
      events.add("handshake " + failure);
    }

    @Override
    public void error(Broker broker, ErrorKind kind) {
      events.add("error " + kind);
    }

    @Override
    public void callServed(Broker broker, long nanos, boolean failed) {
      assertThat(nanos).isNotNegative();
      events.add(failed ? "served failed" : "served");
    }

    @Override
    public void callAnswered(Broker broker, long nanos, boolean failed) {
      events.add(failed ? "answered failed" : "answered");
    }

    @Override
    public void pendingCallsChanged(Broker broker, int delta) {
      pending.addAndGet(delta);
    }

    @Override
    public void exportedReferencesChanged(Broker broker, int delta) {
      exported.addAndGet(delta);
    }

    @Override
    public void bytesReceived(Broker broker, int bytes) {
      bytesIn.addAndGet(bytes);
    }

    void awaitEvent(String event) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!events.contains(event)) {
        assertThat(System.nanoTime()).as("event %s among %s", event, events).isLessThan(deadline);
        Thread.sleep(5);
      }
    }
  }

  @Test
  void callsReferencesAndClosesAddUp() throws Exception {
    Recording serverSide = new Recording();
    Recording clientSide = new Recording();
    try (PbServer server = PbServer.builder().port(0).root(new TestRoot()).observer(serverSide)
        .build().start()) {
      try (PbClient client = PbClient.builder().host("127.0.0.1").port(server.port())
          .observer(clientSide).build()) {
        RemoteReference root = await(client.getRootObject());
        assertThat(await(root.callRemote("echo", "x"))).isEqualTo("x");
        RemoteReference thing = (RemoteReference) await(root.callRemote("thing"));
        assertThat(serverSide.exported).hasValue(1);
        assertThatThrownBy(() -> await(root.callRemote("noSuchMethod"))).isNotNull();
        thing.release();
        await(root.callRemote("echo", "y")); // the decref has arrived before this answer
        assertThat(serverSide.exported).hasValue(0);
        assertThat(clientSide.pending).hasValue(0);
      }
      serverSide.awaitEvent("closed CLOSED_BY_PEER");
    }
    assertThat(serverSide.events).containsExactly("opened", "served", "served", "served failed",
        "error BAD_CALL", "served", "closed CLOSED_BY_PEER");
    assertThat(clientSide.events).containsExactly("opened", "answered", "answered",
        "answered failed", "error REMOTE_FAILURE", "answered", "closed CLOSED_HERE");
    assertThat(serverSide.bytesIn.get()).isPositive();
  }

  @Test
  void protocolViolationsAreCountedAsSuch() throws Exception {
    Recording serverSide = new Recording();
    try (PbServer server = PbServer.builder().port(0).root(new TestRoot()).observer(serverSide)
            .build().start();
        Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(new byte[] {1, (byte) 0xff}); // no Banana type byte is 0xff
      out.flush();
      serverSide.awaitEvent("closed PROTOCOL_ERROR");
    }
    assertThat(serverSide.events).containsExactly("opened", "error PROTOCOL", "closed PROTOCOL_ERROR");
  }

  @Test
  void tlsHandshakeFailuresAreCountedOnBothSides() throws Exception {
    Recording serverSide = new Recording();
    Recording clientSide = new Recording();
    try (PbServer server = PbServer.builder().port(0).root(new TestRoot())
            .sslContext(PbServerClientTest.serverTls()).observer(serverSide).build().start();
        PbClient client = PbClient.builder().host("localhost").port(server.port())
            .sslContext(SslContextBuilder.forClient().build()) // does not trust the server
            .observer(clientSide).build()) {
      assertThatThrownBy(() -> await(client.getRootObject())).isNotNull();
      clientSide.awaitEvent("closed TLS_ERROR");
      serverSide.awaitEvent("closed TLS_ERROR");
    }
    assertThat(clientSide.events).containsExactly(
        "opened", "error TLS", "handshake TLS", "closed TLS_ERROR");
    assertThat(serverSide.events).containsExactly(
        "opened", "error TLS", "handshake TLS", "closed TLS_ERROR");
  }
}
