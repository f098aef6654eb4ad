package io.github.pb4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A short ChatLoad run against pb4j's and Twisted's chat servers, started as child processes. */
class ChatLoadTest {
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void deliversEveryMessageExactlyOnceOnBothServersAndComparesThem() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int status =
        ChatLoad.run(
            new PrintStream(captured, true, StandardCharsets.UTF_8),
            "--server", "both",
            "--clients", "12",
            "--connections", "3",
            "--groups", "2",
            "--rate", "20",
            "--warmup", "0.5",
            "--duration", "1",
            "--python", System.getProperty("pb4j.python", "/usr/bin/python3"),
            "--twisted-server", "src/main/python/chat_load_server.py");
    String out = captured.toString(StandardCharsets.UTF_8);

    assertThat(status).as(out).isZero();
    assertThat(out)
        .contains("pb4j: every message exactly once, in order")
        .contains("Twisted: every message exactly once, in order")
        .containsPattern("logins/s\\s+[0-9,]+\\s+[0-9,]+\\s+[0-9.]+x")
        .containsPattern("server RSS per client \\(KiB\\)\\s+[0-9.-]+\\s+[0-9.-]+")
        .containsPattern("server CPU per 1,000 deliveries \\(ms\\)\\s+[0-9.]+\\s+[0-9.]+")
        .containsPattern("load CPU per 1,000 deliveries \\(ms\\)\\s+[0-9.]+\\s+[0-9.]+");
  }

  @Test
  void refusesMoreGroupsThanClients() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int status =
        ChatLoad.run(
            new PrintStream(captured, true, StandardCharsets.UTF_8), "--clients", "2", "--groups", "3");
    assertThat(status).isEqualTo(2);
  }
}
