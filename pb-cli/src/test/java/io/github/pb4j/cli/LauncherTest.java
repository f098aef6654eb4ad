package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./pb} launcher's JVM options, with a stand-in {@code java} that prints them. */
@Timeout(30)
class LauncherTest {
  private static final String TRIM = "-XX:TrimNativeHeapInterval=1000";

  @TempDir Path dir;

  /** A stand-in java that prints its arguments, one a line. */
  private static final String PRINTING_JAVA =
      "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n";

  private List<String> javaArguments(String javaOpts) throws IOException, InterruptedException {
    return javaArguments(javaOpts, PRINTING_JAVA);
  }

  private List<String> javaArguments(String javaOpts, String fakeJava)
      throws IOException, InterruptedException {
    Path launcher = dir.resolve("pb");
    Files.copy(Path.of("..", "pb"), launcher, StandardCopyOption.REPLACE_EXISTING);
    Path jar = dir.resolve("pb-cli/target/pb.jar");
    Files.createDirectories(jar.getParent());
    Files.writeString(jar, ""); // newer than the (absent) sources: nothing is built
    Path java = dir.resolve("fake-java");
    Files.writeString(java, fakeJava);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "--version");
    pb.environment().put("PB_JAVA", java.toString());
    pb.environment().put("PB_CDS", "0");
    pb.environment().put("PB_JAVA_OPTS", javaOpts);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  @Test
  void startsTheJvmWithHeapFreeRatiosThatPbJavaOptsOverride() throws Exception {
    List<String> args = javaArguments("-XX:MaxHeapFreeRatio=70 -XX:MinHeapFreeRatio=40");

    assertThat(args).containsSubsequence("-Xms16m", "-XX:MinHeapFreeRatio=10",
        "-XX:MaxHeapFreeRatio=30", "-XX:MaxHeapFreeRatio=70", "-XX:MinHeapFreeRatio=40", "-jar");
    assertThat(args.get(args.size() - 1)).isEqualTo("--version");
  }

  @Test
  void theDefaultsAreAcceptedByTheJvm() throws Exception {
    Path realJava = Path.of(System.getProperty("java.home"), "bin", "java");
    // The launcher's question (does this java take an option?) goes to the real JVM.
    String askingRealJava = "#!/bin/sh\ncase \"$*\" in *\" -version\") exec '" + realJava
        + "' \"$@\";; esac\nfor a in \"$@\"; do echo \"$a\"; done\n";
    List<String> args = javaArguments("", askingRealJava);
    List<String> flags = args.subList(0, args.indexOf("-jar"));
    List<String> command = new java.util.ArrayList<>(List.of(realJava.toString()));
    command.addAll(flags);
    command.add("-version");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(flags).contains("-Xms16m", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");
  }

  @Test
  void trimsTheNativeHeapWhenTheJvmCanAndAsksEachJavaOnce() throws Exception {
    assertThat(javaArguments("")).contains(TRIM);

    // A JVM that refuses the option: the launcher asked this java once and kept the answer...
    String refusing = "#!/bin/sh\n"
        + "case \"$*\" in *TrimNativeHeapInterval*\" -version\") exit 1;; esac\n"
        + "for a in \"$@\"; do echo \"$a\"; done\n";
    assertThat(javaArguments("", refusing)).as("answer kept from the first java").contains(TRIM);
    // ...so a different answer shows only once the kept one is gone (another java, mvn clean).
    try (var kept = Files.list(dir.resolve("pb-cli/target"))) {
      for (Path p : kept.filter(p -> p.getFileName().toString().startsWith(".trim")).toList()) {
        Files.delete(p);
      }
    }
    assertThat(javaArguments("", refusing)).doesNotContain(TRIM).contains("-Xms16m", "-jar");
  }
}
