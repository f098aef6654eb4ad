package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code logback.xml} the {@code pb} jar ships (tests run with {@code logback-test.xml}, so
 * only this test reads it): it parses, and its text lines show the connection's MDC keys.
 */
class LogbackConfigTest {
  @Test
  void theShippedConfigurationParsesAndShowsTheConnection() throws Exception {
    URL config = Logging.class.getClassLoader().getResource("logback.xml");
    assertThat(config).isNotNull();
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(config);
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .noneMatch(s -> s.getLevel() >= Status.WARN);

    @SuppressWarnings("unchecked")
    OutputStreamAppender<ILoggingEvent> stderr = (OutputStreamAppender<ILoggingEvent>)
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(Logging.APPENDER);
    assertThat(stderr).isNotNull();
    assertThat(context.getLogger("io.github.pb4j").getLevel()).isEqualTo(Level.WARN);

    LoggingEvent event = new LoggingEvent("x", context.getLogger("io.github.pb4j.examples.chat.ChatService"),
        Level.INFO, "alice joined #g", null, null);
    event.setMDCPropertyMap(Map.of("pb.conn", "12", "pb.peer", "203.0.113.7:51544", "pb.avatar", "alice"));
    assertThat(new String(stderr.getEncoder().encode(event), StandardCharsets.UTF_8))
        .endsWith(" INFO  ChatService conn=12 peer=203.0.113.7:51544 avatar=alice - alice joined #g\n");
    LoggingEvent outside = new LoggingEvent("x", context.getLogger("io.github.pb4j.netty.PbServer"),
        Level.INFO, "pb server listening", null, null);
    outside.setMDCPropertyMap(Map.of());
    assertThat(new String(stderr.getEncoder().encode(outside), StandardCharsets.UTF_8))
        .endsWith(" INFO  PbServer - pb server listening\n");

    String json = new String(Logging.jsonEncoder(stderr).encode(event), StandardCharsets.UTF_8);
    assertThat(json).endsWith("}\n").doesNotContain("\n{");
    com.fasterxml.jackson.databind.JsonNode line = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    assertThat(line.path("mdc").path("pb.avatar").asText()).isEqualTo("alice");
    assertThat(line.path("mdc").path("pb.conn").asText()).isEqualTo("12");
    assertThat(line.path("mdc").path("pb.peer").asText()).isEqualTo("203.0.113.7:51544");
    assertThat(line.path("formattedMessage").asText()).isEqualTo("alice joined #g");
    context.stop();
  }
}
