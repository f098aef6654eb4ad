package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code pb decode} on PB sessions captured from real Twisted 22.4 ({@code pb-sessions.json},
 * copied from the protocol vectors): each direction's byte stream must decode to the captured
 * messages, dialect switch included.
 */
class DecodeCommandTest {
  static Stream<Arguments> streams() throws IOException {
    JsonNode sessions;
    try (InputStream in = DecodeCommandTest.class.getResourceAsStream("/pb-sessions.json")) {
      sessions = new ObjectMapper().readTree(in).get("sessions");
    }
    List<Arguments> out = new ArrayList<>();
    for (JsonNode session : sessions) {
      for (String dir : List.of("C->S", "S->C")) {
        List<String> sexps = new ArrayList<>();
        for (JsonNode m : session.get("messages")) {
          if (m.has("dir") && m.get("dir").asText().equals(dir)) {
            sexps.add(m.get("sexp").asText());
          }
        }
        out.add(
            Arguments.of(
                session.get("name").asText() + " " + dir,
                session.get("stream_hex").get(dir).asText(),
                sexps));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void decodesCapturedSessions(String name, String hex, List<String> sexps) {
    CliRun.Result result = CliRun.run("decode", "--hex", hex);
    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isZero();
    assertThat(result.out().lines().toList()).isEqualTo(sexps);
  }

  @Test
  void readsFilesAndStdinAndShowsOffsets(@TempDir Path dir) throws IOException {
    byte[] bytes = HexFormat.of().parseHex("02827062" + "028013870681");
    Path file = dir.resolve("capture.bin");
    Files.write(file, bytes);
    assertThat(CliRun.run("decode", "--offsets", file.toString()).out())
        .isEqualTo("0: b'pb'\n4: [b'version', 6]\n");
    assertThat(CliRun.run(bytes, Map.of(), "decode").out()).isEqualTo("b'pb'\n[b'version', 6]\n");
    assertThat(CliRun.run("decode", "--hex", "02 82 70 62 : 02 80 13 87 06 81").out())
        .isEqualTo("b'pb'\n[b'version', 6]\n");
  }

  @Test
  void decodesMidStreamCapturesInThePbDialect() {
    // [b'version', 6] without the handshake before it: VOCAB 0x13 is b'version' only in pb.
    assertThat(CliRun.run("decode", "--hex", "028013870681").out()).isEqualTo("[b'version', 6]\n");
    assertThat(CliRun.run("decode", "--dialect", "none", "--hex", "0282706202801387").exitCode())
        .isEqualTo(1);
  }

  @Test
  void reportsIncompleteAndMalformedInputAfterWhatItDecoded() {
    CliRun.Result incomplete = CliRun.run("decode", "--hex", "02827062028013");
    assertThat(incomplete.exitCode()).isEqualTo(1);
    assertThat(incomplete.out()).isEqualTo("b'pb'\n");
    assertThat(incomplete.err())
        .isEqualTo("pb decode: 3 bytes left over at byte 4: incomplete expression\n");

    CliRun.Result malformed = CliRun.run("decode", "--hex", "02827062" + "01ff");
    assertThat(malformed.exitCode()).isEqualTo(1);
    assertThat(malformed.err()).startsWith("pb decode: at byte 4: ");

    assertThat(CliRun.run("decode", "--hex", "0g").exitCode()).isEqualTo(2);
  }
}
