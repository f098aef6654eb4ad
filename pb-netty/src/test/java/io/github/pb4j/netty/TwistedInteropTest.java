package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.RemoteReference;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.testing.TwistedPeer;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Netty transport against real Twisted 22.4: a Java client calling a Twisted {@code
 * PBServerFactory}, and a Twisted {@code PBClientFactory} calling a {@link PbServer}. Python peers
 * are in {@code src/test/python}.
 */
@Timeout(40)
class TwistedInteropTest {
  private static final List<Object> VALUES = Arrays.asList(
      42, -7, BigInteger.TWO.pow(70), 1.5, "h\u00e9llo",
      ByteString.of((byte) 0, (byte) 0xff, (byte) 'x'), null, true, false,
      List.of(1, "two", List.of(3.0)), Tuple.of(1, "x"), Map.of("a", 1, "b", List.of(2, 3)));

  @Test
  void javaClientEchoesThroughTwistedServer() throws Exception {
    try (TwistedPeer twisted = TwistedPeer.startServer("echo_server.py");
        PbClient client = PbClient.builder().host("127.0.0.1").port(twisted.port()).build()) {
      RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);

      for (Object value : VALUES) {
        assertThat(root.callRemote("echo", value).get(10, TimeUnit.SECONDS)).as("echo of %s", value)
            .isEqualTo(value);
      }
    }
  }

  @Test
  void twistedServerAnswersManyPipelinedJavaCalls() throws Exception {
    try (TwistedPeer twisted = TwistedPeer.startServer("echo_server.py");
        PbClient client = PbClient.builder().host("127.0.0.1").port(twisted.port()).build()) {
      RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);

      List<CompletableFuture<@Nullable Object>> calls =
          IntStream.range(0, 200).mapToObj(i -> root.callRemote("echo", i)).toList();

      for (int i = 0; i < calls.size(); i++) {
        assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
      }
    }
  }

  @Test
  void twistedClientEchoesThroughJavaServer() throws Exception {
    try (PbServer server =
            PbServer.builder().host("127.0.0.1").port(0).root(new TestRoot()).build().start();
        TwistedPeer twisted =
            TwistedPeer.start("echo_client.py", List.of("--port", String.valueOf(server.port())))) {

      int status = twisted.awaitExit(Duration.ofSeconds(30));

      assertThat(twisted.stdout().snapshot()).as("Twisted client output")
          .contains("DONE 0")
          .noneMatch(line -> line.startsWith("MISMATCH"));
      assertThat(status).isZero();
    }
  }
}
