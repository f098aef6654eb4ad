package io.github.pb4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17's target for memory: an idle logged-in connection keeps at most 4 KB of heap on the
 * server. The walk sizes every object one server connection reaches and another does not.
 */
@Timeout(60)
class ConnectionFootprintTest {
  @Test
  void anIdleLoggedInChatConnectionKeepsAtMostFourKilobytes() throws Exception {
    ConnectionFootprint.Footprint f = ConnectionFootprint.measure(false);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    ConnectionFootprint.report(f, new PrintStream(text, true, StandardCharsets.UTF_8));
    String report = text.toString(StandardCharsets.UTF_8);

    assertThat(f.closedFields()).as(report).isEmpty();
    // The walk reaches the connection's channel, its tables, the avatar and the mind's reference.
    assertThat(report).contains("Broker.sink", "Broker.exports", "Broker.imports", "EpollSocketChannel");
    assertThat(f.bytes()).as(report).isBetween(1_000L, 4_096L);
  }
}
