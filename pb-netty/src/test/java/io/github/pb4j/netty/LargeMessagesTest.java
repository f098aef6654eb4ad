package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.testing.TwistedPeer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages as large as a default Twisted peer sends and accepts go through with pb4j's default
 * options, in both directions: Twisted limits each string to 640 KiB but not a message.
 */
@Timeout(60)
class LargeMessagesTest {
  /** 14 byte strings of 600 KiB, each within Twisted's 640 KiB limit: 8.6 MB in one call. */
  private static final List<ByteString> FOURTEEN_STRINGS = IntStream.range(0, 14)
      .mapToObj(i -> {
        byte[] bytes = new byte[600 * 1024];
        Arrays.fill(bytes, (byte) ('A' + i));
        return ByteString.of(bytes, 0, bytes.length);
      })
      .toList();

  @Test
  void fourteenStringsOf600KiBInOneCallWorkWithDefaultOptions() throws Exception {
    try (PbServer server = PbServer.builder().port(0).root(new TestRoot()).build().start();
        PbClient client = PbClient.builder().host("127.0.0.1").port(server.port()).build()) {
      RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);

      // The server receives 8.6 MB in one call, the client the same in one answer.
      Object echoed = root.callRemote("echo", FOURTEEN_STRINGS).get(30, TimeUnit.SECONDS);

      assertThat(echoed).isEqualTo(FOURTEEN_STRINGS);
      assertThat(root.callRemote("echo", "after").get(10, TimeUnit.SECONDS)).isEqualTo("after");
    }
  }

  @Test
  void aRaisedSizeLimitAsZenossSetsLetsTenMegabyteStringsThrough() throws Exception {
    BrokerOptions options = BrokerOptions.builder()
        .bananaLimits(BananaLimits.DEFAULT.withSizeLimit(10 * 1024 * 1024))
        .build();
    byte[] bytes = new byte[10 * 1024 * 1024];
    Arrays.fill(bytes, (byte) 'z');
    ByteString big = ByteString.of(bytes, 0, bytes.length);
    try (PbServer server = PbServer.builder().port(0).root(new TestRoot()).options(options).build().start();
        PbClient client = PbClient.builder().host("127.0.0.1").port(server.port()).options(options).build()) {
      RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);

      assertThat(root.callRemote("echo", big).get(30, TimeUnit.SECONDS)).isEqualTo(big);
    }
  }

  @Test
  void aJavaClientSendsAndReceivesFourteenStringsOf600KiBThroughTwisted() throws Exception {
    try (TwistedPeer twisted = TwistedPeer.startServer("echo_server.py");
        PbClient client = PbClient.builder().host("127.0.0.1").port(twisted.port()).build()) {
      RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);

      Object echoed = root.callRemote("echo", FOURTEEN_STRINGS).get(30, TimeUnit.SECONDS);

      assertThat(echoed).isEqualTo(FOURTEEN_STRINGS);
    }
  }

  @Test
  void aTwistedClientSendsAndReceivesFourteenStringsOf600KiBThroughAJavaServer() throws Exception {
    try (PbServer server = PbServer.builder().port(0).root(new TestRoot()).build().start();
        TwistedPeer twisted =
            TwistedPeer.start("large_client.py", List.of("--port", String.valueOf(server.port())))) {

      int status = twisted.awaitExit(Duration.ofSeconds(40));

      assertThat(twisted.stdout().snapshot()).as("Twisted client output").contains("OK");
      assertThat(status).isZero();
    }
  }
}
