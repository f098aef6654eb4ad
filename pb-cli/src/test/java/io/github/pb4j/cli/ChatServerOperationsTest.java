package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.pb4j.cred.Md5ChallengeCredentials;
import io.github.pb4j.testing.TwistedPeer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code pb chat-server} as an operator runs it: metrics served to Prometheus while a Twisted client
 * chats, limits and logs set from the command line.
 */
@Timeout(90)
class ChatServerOperationsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String PASSWORD = "Tr0ub4dor&3-unique";
  private static final String WRONG = "Wr0ng-unique-guess";

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

  @Test
  void metricsShowTheCallsAndLoginOfATwistedClient() throws Exception {
    try (CliRun.Running server = startChatServer("--demo", "--db", dir.resolve("chat.db").toString(),
        "--metrics-port", "0")) {
      String metrics = metricsUrl(server);
      List<String> chat = TwistedPeer.runClient(CliRun.exampleTwin("chatclient.py"),
          Integer.parseInt(port(server)));
      assertThat(chat).contains("joined group, now sending a message to all members");

      String body = awaitMetrics(metrics, "pb_connections_open 0.0");
      assertThat(value(body, "pb_logins_total{outcome=\"succeeded\"}")).isEqualTo(1);
      assertThat(value(body, "pb_logins_total{outcome=\"refused\"}")).isZero();
      // login, respond, joinGroup, send; and the server's print to the client's mind.
      assertThat(value(body, "pb_calls_received_total")).isEqualTo(4);
      assertThat(value(body, "pb_calls_served_seconds_count{outcome=\"ok\"}")).isEqualTo(4);
      assertThat(value(body, "pb_calls_sent_total")).isEqualTo(1);
      assertThat(value(body, "pb_connections_opened_total")).isEqualTo(1);
      assertThat(value(body, "pb_connections_closed_total{reason=\"closed_by_peer\"}")).isEqualTo(1);
      assertThat(value(body, "pb_received_bytes_total")).isPositive();
      assertThat(body).contains("pb_calls_served_seconds_bucket{").contains("jvm_memory_used_bytes");

      server.terminal.requestShutdown();
      assertThat(server.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void refusesConnectionsPastTheLimitsGivenOnTheCommandLine() throws Exception {
    try (CliRun.Running server = startChatServer("--demo", "--db", dir.resolve("chat.db").toString(),
        "--max-connections-per-address", "1", "--max-calls-in-progress", "5");
        java.net.Socket first = new java.net.Socket("127.0.0.1", Integer.parseInt(port(server)));
        java.net.Socket second = new java.net.Socket("127.0.0.1", Integer.parseInt(port(server)))) {
      first.setSoTimeout(10_000);
      second.setSoTimeout(10_000);
      assertThat(first.getInputStream().read()).isNotEqualTo(-1);
      assertThat(second.getInputStream().read()).isEqualTo(-1);
      server.terminal.requestShutdown();
      assertThat(server.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void rejectsBadOperationsOptions() {
    assertThat(CliRun.run("chat-server", "--max-connections", "0").err())
        .isEqualTo("pb chat-server: --max-connections: 0 (expected: >= 1)\n");
    assertThat(CliRun.run("chat-server", "--metrics-port", "70000").exitCode()).isEqualTo(2);
  }

  /**
   * With {@code --log-format json --log-level trace}, every line is a JSON object; lines about a
   * connection carry its id and peer, and its avatar after the login; no password, MD5 of one or
   * login response appears anywhere.
   */
  @Test
  void jsonLogLinesCarryTheConnectionAndNoSecrets() throws Exception {
    String db = dir.resolve("chat.db").toString();
    assertThat(CliRun.run(PASSWORD + "\n", Map.of(), "users", "add", "dave", "--password-stdin",
        "--db", db).exitCode()).isZero();
    // The appender logback.xml names STDERR, here writing to memory; the option swaps its encoder.
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    int jsonFrom;
    OutputStreamAppender<ILoggingEvent> stderr = new OutputStreamAppender<>();
    stderr.setName(Logging.APPENDER);
    stderr.setContext(context);
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setPattern("%msg%n");
    text.setContext(context);
    text.start();
    stderr.setEncoder(text);
    stderr.setOutputStream(written);
    stderr.start();
    root.addAppender(stderr);
    try (CliRun.Running server = startChatServer("--db", db, "--log-format", "json",
        "--log-level", "trace")) {
      assertThat(stderr.getEncoder()).isInstanceOf(JsonEncoder.class);
      // Lines written before the server's options switched the encoder are not its JSON: a
      // thread of an earlier test (a connection closing late) may log in that window.
      synchronized (written) {
        jsonFrom = written.size();
      }
      String port = port(server);
      assertThat(CliRun.run("", Map.of("PB_PASSWORD", PASSWORD), "call", "--port", port,
          "--user", "dave", "groups").exitCode()).isZero();
      assertThat(CliRun.run("", Map.of("PB_PASSWORD", WRONG), "call", "--port", port,
          "--user", "dave", "groups").exitCode()).isEqualTo(1);
      server.terminal.requestShutdown();
      assertThat(server.awaitExit(WAIT)).isZero();
    } finally {
      root.detachAppender(stderr);
      stderr.stop();
      Logging.setLevel(Logging.LogLevel.WARN);
      if (LoggerFactory.getLogger("io.github.pb4j.examples.chat") instanceof Logger chat) {
        chat.setLevel(ch.qos.logback.classic.Level.INFO);
      }
    }
    List<String> lines;
    List<String> jsonLines;
    synchronized (written) {
      byte[] all = written.toByteArray();
      lines = new String(all, StandardCharsets.UTF_8).lines().toList();
      jsonLines = new String(all, jsonFrom, all.length - jsonFrom, StandardCharsets.UTF_8)
          .lines().toList();
    }

    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : jsonLines) {
      try {
        events.add(mapper.readTree(line));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
    }
    assertThat(events).isNotEmpty();
    assertThat(events).allSatisfy(e -> assertThat(e.has("level") && e.has("loggerName")).isTrue());
    // A frame logged at TRACE by the server for dave's connection, after the login.
    assertThat(events).anySatisfy(e -> {
      JsonNode mdc = e.path("mdc");
      assertThat(mdc.path("pb.conn").asText()).matches("\\d+");
      assertThat(mdc.path("pb.peer").asText()).startsWith("127.0.0.1:");
      assertThat(mdc.path("pb.avatar").asText()).isEqualTo("dave");
    });

    List<String> secrets = List.of(PASSWORD, WRONG,
        hex(Md5ChallengeCredentials.md5(PASSWORD.getBytes(StandardCharsets.UTF_8))),
        hex(Md5ChallengeCredentials.md5(WRONG.getBytes(StandardCharsets.UTF_8))), "$argon2id$");
    for (String line : lines) {
      for (String secret : secrets) {
        assertThat(line.toLowerCase()).as("log line %s", line).doesNotContain(secret.toLowerCase());
      }
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static CliRun.Running startChatServer(String... args) throws InterruptedException {
    String[] all = new String[args.length + 3];
    all[0] = "chat-server";
    all[1] = "--port";
    all[2] = "0";
    System.arraycopy(args, 0, all, 3, args.length);
    CliRun.Running server = new CliRun.Running(Map.of(), all);
    assertThat(server.out.await(l -> l.startsWith("chat server listening on 127.0.0.1:"), WAIT))
        .as("chat server started; stderr %s", server.err.snapshot())
        .isNotNull();
    return server;
  }

  private static String port(CliRun.Running server) {
    String line = server.out.snapshot().get(0);
    return line.replaceAll(".*:(\\d+) .*", "$1");
  }

  private static String metricsUrl(CliRun.Running server) throws InterruptedException {
    String line = server.err.await(l -> l.startsWith("pb chat-server: metrics at "), WAIT);
    assertThat(line).as("metrics line; stderr %s", server.err.snapshot()).isNotNull();
    return line.substring("pb chat-server: metrics at ".length());
  }

  /** Scrapes until the metrics hold {@code line} (the server sees a close after the client). */
  private String awaitMetrics(String url, String line) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      if (response.body().lines().anyMatch(line::equals) || System.nanoTime() > deadline) {
        assertThat(response.body().lines()).contains(line);
        return response.body();
      }
      Thread.sleep(20);
    }
  }

  private static double value(String body, String sample) {
    List<String> lines = body.lines().filter(l -> l.startsWith(sample + " ")).toList();
    assertThat(lines).as("sample %s", sample).hasSize(1);
    String line = lines.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
