package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Both builders reject the same mistakes with the same messages. */
class BuilderChecksTest {
  @Test
  void portsOutOfRangeAreRejected() {
    assertThatThrownBy(() -> PbServer.builder().port(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: -1 (expected: 0..65535)");
    assertThatThrownBy(() -> PbServer.builder().port(65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 65536 (expected: 0..65535)");
    assertThatThrownBy(() -> PbClient.builder().port(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 0 (expected: 1..65535)");
    assertThatThrownBy(() -> PbClient.builder().port(65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: 65536 (expected: 1..65535)");
  }

  @Test
  void missingValuesAreRejected() {
    assertThatThrownBy(() -> PbServer.builder().host(null)).hasMessage("host");
    assertThatThrownBy(() -> PbClient.builder().host(null)).hasMessage("host");
    assertThatThrownBy(() -> PbServer.builder().options(null)).hasMessage("options");
    assertThatThrownBy(() -> PbClient.builder().options(null)).hasMessage("options");
    assertThatThrownBy(() -> PbServer.builder().eventLoopGroup(null)).hasMessage("group");
    assertThatThrownBy(() -> PbClient.builder().eventLoopGroup(null)).hasMessage("group");
    assertThatThrownBy(() -> PbServer.builder().sslContext(null)).hasMessage("sslContext");
    assertThatThrownBy(() -> PbClient.builder().sslContext(null)).hasMessage("sslContext");
  }

  @Test
  void countsAndDurationsOutOfRangeAreRejected() {
    assertThatThrownBy(() -> PbServer.builder().eventLoopThreads(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eventLoopThreads: -1 (expected: >= 0)");
    assertThatThrownBy(() -> PbClient.builder().connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> PbClient.builder().connectTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectTimeout: PT-1S (expected: > 0)");
  }

  @Test
  void tlsContextsOfTheWrongSideAreRejected() throws Exception {
    SslContext client = SslContextBuilder.forClient().build();
    SslContext server = PbServerClientTest.serverTls();

    assertThatThrownBy(() -> PbServer.builder().sslContext(client))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sslContext: client context (expected: a server context)");
    assertThatThrownBy(() -> PbClient.builder().sslContext(server))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sslContext: server context (expected: a client context)");
  }
}
