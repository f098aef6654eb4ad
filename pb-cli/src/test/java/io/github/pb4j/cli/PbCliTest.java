package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PbCliTest {
  @ParameterizedTest(name = "pb {0} --help")
  @ValueSource(
      strings = {
        "",
        "call",
        "decode",
        "chat-server",
        "chat",
        "users",
        "users add",
        "users remove",
        "users passwd",
        "users list",
        "example"
      })
  void everyCommandHasHelp(String command) {
    String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");
    CliRun.Result result = CliRun.run(args);
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("Usage: pb" + (command.isEmpty() ? "" : " " + command));
    assertThat(result.err()).isEmpty();
  }

  @Test
  void printsItsVersion() {
    CliRun.Result result = CliRun.run("--version");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("pb ").contains("Perspective Broker protocol version 6");
  }

  @ParameterizedTest(name = "pb {0}")
  @ValueSource(
      strings = {
        "",
        "nosuch",
        "--nosuch",
        "call",
        "call --port x echo 1",
        "users",
        "users add",
        "decode --dialect klingon --hex 00",
        "chat",
        "example nosuch"
      })
  void usageErrorsExitWithTwo(String command) {
    CliRun.Result result = CliRun.run(command.isEmpty() ? new String[0] : command.split(" "));
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isNotEmpty();
  }

  @Test
  void verboseIsAcceptedEverywhere() {
    assertThat(CliRun.run("-v", "decode", "--hex", "0181").exitCode()).isZero();
    assertThat(CliRun.run("decode", "-vv", "--hex", "0181").exitCode()).isZero();
    Logging.setVerbosity(0);
  }
}
