package io.github.pb4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A short LoginLoad run against pb4j's and Twisted's chat servers, started as child processes. */
class LoginLoadTest {
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void measuresBothServersSideBySide() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int status =
        LoginLoad.run(
            new PrintStream(captured, true, StandardCharsets.UTF_8),
            "--held", "30",
            "--in-flight", "10",
            "--warmup", "0.2",
            "--duration", "0.5",
            "--client-warmup", "0.5",
            "--python", System.getProperty("pb4j.python", "/usr/bin/python3"),
            "--twisted-server", "src/main/python/chat_load_server.py");
    String out = captured.toString(StandardCharsets.UTF_8);

    assertThat(status).as(out).isZero();
    assertThat(out)
        .containsPattern("storm logins/s \\(fresh server\\)\\s+[0-9,]+\\s+[0-9,]+\\s+[0-9.]+x")
        .containsPattern("sequential logins/s \\(warm\\)\\s+[0-9,]+\\s+[0-9,]+\\s+[0-9.]+x")
        .containsPattern("server CPU per storm login \\(ms\\)\\s+[0-9.]+\\s+[0-9.]+\\s+([0-9.]+x|n/a)")
        .contains("client warmed up")
        .containsPattern("server RSS per connection \\(KiB\\)\\s+-?[0-9.]+\\s+-?[0-9.]+")
        .containsPattern("failed logins\\s+0\\s+0")
        // Twisted's client against both servers, and each server with its own side's client.
        .containsPattern("With Twisted's client:\\R"
            + "concurrent logins/s\\s+[0-9,]+\\s+[0-9,]+\\s+[0-9.]+x\\R"
            + "sequential logins/s\\s+[0-9,]+\\s+[0-9,]+\\s+[0-9.]+x\\R"
            + "failed logins\\s+0\\s+0\\R"
            + "Each with its own client .*\\R"
            + "concurrent logins/s\\s+[0-9,]+\\s+[0-9,]+\\s+[0-9.]+x\\R"
            + "sequential logins/s\\s+[0-9,]+\\s+[0-9,]+\\s+[0-9.]+x");
  }
}
