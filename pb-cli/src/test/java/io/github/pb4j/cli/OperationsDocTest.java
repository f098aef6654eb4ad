package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.metrics.PrometheusEndpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * docs/operations.md as a user follows it: the systemd unit's command line is one {@code pb}
 * accepts, and the Prometheus job scrapes the endpoint that command line starts.
 */
class OperationsDocTest {
  private static final Path DOC = Path.of("../docs/operations.md");

  private static List<String> blocks(String doc, String language) {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** The unit's ExecStart, continuation lines joined, split into words. */
  private static List<String> execStart(String doc) {
    List<String> units = blocks(doc, "ini");
    assertThat(units).hasSize(1);
    String unit = units.get(0).replace("\\\n", " ");
    List<String> lines = unit.lines().filter(l -> l.startsWith("ExecStart=")).toList();
    assertThat(lines).hasSize(1);
    return Arrays.asList(lines.get(0).substring("ExecStart=".length()).trim().split("\\s+"));
  }

  private static ParseResult parse(List<String> pbArgs) {
    Terminal terminal = Terminal.of(new ByteArrayInputStream(new byte[0]),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of());
    CommandLine pb = PbCli.commandLine(terminal);
    try {
      return pb.parseArgs(pbArgs.toArray(String[]::new));
    } finally {
      // Parsing applied --log-format and --log-level: put back what the other tests expect.
      Logging.setFormat(Logging.LogFormat.TEXT);
    }
  }

  @Test
  void theSystemdUnitStartsTheChatServerWithFlagsPbAccepts() throws Exception {
    String doc = Files.readString(DOC);
    List<String> command = execStart(doc);
    assertThat(command.get(0)).isEqualTo("/usr/bin/java");
    int jar = command.indexOf("-jar");
    assertThat(jar).isPositive();
    assertThat(command.get(jar + 1)).endsWith("/pb.jar");
    // The unit installs the jar where the Install section puts it.
    assertThat(doc).contains("install -D -m 0644 pb-cli/target/pb.jar " + command.get(jar + 1));

    ParseResult parsed = parse(command.subList(jar + 2, command.size()));
    assertThat(parsed.hasSubcommand()).isTrue();
    ParseResult chatServer = parsed.subcommand();
    assertThat(chatServer.commandSpec().name()).isEqualTo("chat-server");
    assertThat(chatServer.unmatched()).isEmpty();
    ChatServerCommand server = (ChatServerCommand) chatServer.commandSpec().userObject();
    server.operations.validate();
    assertThat(server.host).isEqualTo("0.0.0.0");
    assertThat(server.operations.metricsPort).isNotNull();
    assertThat(server.operations.metricsAddress).isEqualTo("127.0.0.1");
    // The database password comes from the unit's EnvironmentFile, in the variable pb reads.
    assertThat(server.store.url).startsWith("jdbc:postgresql://");
    assertThat(doc).contains("EnvironmentFile=/etc/pb4j/chat-server.env")
        .contains("one line: PB_DB_PASSWORD=...");
    assertThat(Files.readString(Path.of("src/main/java/io/github/pb4j/cli/UserStoreOptions.java")))
        .contains("\"PB_DB_PASSWORD\"");

    // The Prometheus job scrapes what that command serves.
    List<String> jobs = blocks(doc, "yaml");
    assertThat(jobs).hasSize(1);
    assertThat(jobs.get(0))
        .contains("metrics_path: " + PrometheusEndpoint.PATH)
        .contains("targets: [\"" + server.operations.metricsAddress + ":"
            + server.operations.metricsPort + "\"]");
  }

  @Test
  void theDocumentedDefaultsAreTheCodesDefaults() throws Exception {
    String doc = Files.readString(DOC);
    OperationsOptions defaults = new OperationsOptions();
    assertThat(doc)
        .contains("| `--max-connections N` | `PbServer.Builder.maxConnections` | "
            + grouped(defaults.maxConnections) + " |")
        .contains("| `--max-connections-per-address N` | `PbServer.Builder.maxConnectionsPerAddress` | "
            + grouped(defaults.maxConnectionsPerAddress) + " |")
        .contains("| `--max-calls-in-progress N` | `BrokerOptions.Builder.maxCallsInProgress` | "
            + grouped(defaults.maxCallsInProgress) + " |");
  }

  /** 10000 as the docs write it: 10 000. */
  private static String grouped(int n) {
    return String.format(java.util.Locale.ROOT, "%,d", n).replace(',', ' ');
  }

  @Test
  void theReadmeLinksThePage() throws Exception {
    assertThat(Files.readString(Path.of("../README.md"))).contains("(docs/operations.md)");
  }
}
