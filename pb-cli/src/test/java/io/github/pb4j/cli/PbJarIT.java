package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded {@code target/pb.jar} as a user does: its manifest, logging configuration, merged
 * service files (JDBC drivers) and SQLite's native library must survive shading.
 */
@Timeout(60)
class PbJarIT {
  @TempDir Path dir;

  @Test
  void printsItsVersion() throws Exception {
    Run run = pb("", "--version");
    assertThat(run.code).isZero();
    assertThat(run.out).startsWith("pb 0.1.0");
  }

  @Test
  void managesUsersInSqlite() throws Exception {
    String db = dir.resolve("users.db").toString();
    assertThat(pb("s3cret\n", "users", "add", "alice", "--password-stdin", "--db", db).code)
        .isZero();
    Run list = pb("", "users", "list", "--db", db);
    assertThat(list.out).isEqualTo("alice\n");
    assertThat(list.err).isEmpty(); // No logging noise at the default level.
  }

  @Test
  void decodes() throws Exception {
    Run run = pb("", "decode", "--hex", "02800282706204826e6f6e65028013870681");
    assertThat(run.out).isEqualTo("[b'pb', b'none']\n[b'version', 6]\n");
  }

  private record Run(int code, String out, String err) {}

  private Run pb(String stdin, String... args) throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("basedir", "."), "target", "pb.jar");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    byte[] err = p.getErrorStream().readAllBytes();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }
}
