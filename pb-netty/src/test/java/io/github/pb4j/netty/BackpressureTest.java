package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.Broker;
import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.banana.ByteString;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client calling a server that does not read: the broker says when its transport is full and
 * when it has drained again, so that a program can pace its calls.
 */
@Timeout(30)
class BackpressureTest {
  /** {@code [b'pb', b'none']} in the none dialect, then {@code [b'version', 6]} in pb. */
  private static final byte[] SERVER_GREETING =
      HexFormat.of().parseHex("0280" + "02827062" + "04826e6f6e65" + "028013870681");

  @Test
  void aFullTransportIsReportedAndWhenWritableCompletesOnceItDrains() throws Exception {
    CountDownLatch startReading = new CountDownLatch(1);
    CompletableFuture<Long> drained = new CompletableFuture<>();
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (Socket s = listener.accept()) {
          s.getOutputStream().write(SERVER_GREETING);
          s.getOutputStream().flush();
          startReading.await(); // a peer that does not read for a while
          InputStream in = s.getInputStream();
          byte[] chunk = new byte[64 * 1024];
          long total = 0;
          for (int n; (n = in.read(chunk)) >= 0; ) {
            total += n;
          }
          drained.complete(total);
        } catch (Exception e) {
          drained.completeExceptionally(e);
        }
      }, "silent-server");
      server.start();
      try (PbClient client = PbClient.builder().host("127.0.0.1").port(listener.getLocalPort()).build()) {
        RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
        Broker broker = root.broker();
        ByteString payload = ByteString.of(new byte[64 * 1024], 0, 64 * 1024);

        int calls = 0;
        while (broker.isWritable() && calls < 10_000) {
          root.callRemoteNoAnswer("store", payload);
          calls++;
          broker.executor().submit(() -> null).get(5, TimeUnit.SECONDS); // the call is written
        }
        assertThat(broker.isWritable()).as("full after %d calls", calls).isFalse();
        CompletableFuture<Void> writable = broker.whenWritable();
        broker.executor().submit(() -> null).get(5, TimeUnit.SECONDS);
        assertThat(writable).isNotDone(); // nothing is read, nothing drains

        startReading.countDown();

        writable.get(10, TimeUnit.SECONDS);
        assertThat(broker.isWritable()).isTrue();
        CompletableFuture<Void> afterClose = new CompletableFuture<>();
        client.close();
        broker.whenWritable().whenComplete((v, e) -> {
          if (e != null) {
            afterClose.completeExceptionally(e);
          } else {
            afterClose.complete(null);
          }
        });
        assertThat(afterClose).failsWithin(5, TimeUnit.SECONDS)
            .withThrowableOfType(ExecutionException.class)
            .withCauseInstanceOf(ConnectionLostException.class);
      }
      assertThat(drained.get(10, TimeUnit.SECONDS)).isGreaterThan(1024L * 1024);
    }
  }
}
