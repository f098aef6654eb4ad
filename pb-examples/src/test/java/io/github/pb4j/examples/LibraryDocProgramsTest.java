package io.github.pb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.testing.Lines;
import io.github.pb4j.testing.TwistedPeer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The complete programs of {@code docs/library.md}, taken from the page itself: compiled with
 * {@code javax.tools} against this module's test class path (as the page says, with {@code
 * -parameters}), then each run in a JVM of its own against real Twisted. A page whose programs no
 * longer compile or work fails here.
 */
@Timeout(120)
class LibraryDocProgramsTest {
  private static final Path DOC =
      Path.of(System.getProperty("basedir", ".")).resolve("../docs/library.md");
  private static final Pattern JAVA_BLOCK = Pattern.compile("(?s)```java\\n(.*?)```");
  private static final Pattern PUBLIC_CLASS = Pattern.compile("public final class (\\w+)");
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path work;
  private static Path classes;

  @BeforeAll
  static void compileThePagesPrograms() throws IOException {
    Map<String, String> programs = programs(Files.readString(DOC));
    assertThat(programs.keySet())
        .as("complete programs in %s (a new one needs a test here)", DOC)
        .containsExactlyInAnyOrder("InventoryClient", "NotesServer");

    classes = Files.createDirectories(work.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<JavaFileObject> sources = new ArrayList<>();
    programs.forEach((name, code) -> sources.add(new Source(name, code)));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<String> options =
        List.of(
            "-classpath", System.getProperty("java.class.path"),
            "-d", classes.toString(),
            "--release", "17",
            "-parameters",
            "-Xlint:all,-processing",
            "-Werror");
    boolean compiled =
        javac.getTask(null, null, diagnostics, options, null, sources).call();
    assertThat(compiled).as("compiling %s: %s", DOC, diagnostics.getDiagnostics()).isTrue();
  }

  @Test
  void theClientCallsATwistedService() throws Exception {
    try (TwistedPeer inventory = TwistedPeer.startServer("library_inventory_server.py");
        JavaProgram client =
            JavaProgram.start("InventoryClient", "127.0.0.1", Integer.toString(inventory.port()))) {
      assertThat(client.awaitExit()).as("exit status; output: %s", client.out.snapshot()).isZero();
      assertThat(client.out.awaitClosed(WAIT))
          .containsSubsequence(
              "items: 1",
              "name: anvil, tags: [heavy, iron]",
              "left: 1 anvil",
              "missing: null",
              "items now: 2",
              "failed: builtins.KeyError: 'Z-9'");
    }
  }

  @Test
  void aTwistedClientLogsInToTheServer() throws Exception {
    Path database = work.resolve("notes-users.db");
    try (JavaProgram server = JavaProgram.start("NotesServer", "0", database.toString())) {
      String listening =
          server.out.await(l -> l.startsWith("notes server listening on port "), WAIT);
      assertThat(listening).as("server output: %s", server.out.snapshot()).isNotNull();
      int port = Integer.parseInt(listening.substring(listening.lastIndexOf(' ') + 1));

      List<String> printed = TwistedPeer.runClient("library_notes_client.py", port);

      assertThat(printed)
          .containsExactly(
              "logged in as alice", "notes: 1", "note: 'buy milk' ['home', 'today']");
    }
    assertThat(database).isRegularFile();
  }

  /** The page's complete programs (Java blocks with a main method), by class name. */
  static Map<String, String> programs(String markdown) {
    Map<String, String> programs = new LinkedHashMap<>();
    Matcher block = JAVA_BLOCK.matcher(markdown);
    while (block.find()) {
      String code = block.group(1);
      Matcher name = PUBLIC_CLASS.matcher(code);
      if (code.contains("public static void main(") && name.find()) {
        programs.put(name.group(1), code);
      }
    }
    return programs;
  }

  /** A compilation unit held in memory. */
  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(String className, String code) {
      super(URI.create("string:///" + className + ".java"), Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }

  /** A compiled program of the page, run with {@code java} and this test's class path. */
  private static final class JavaProgram implements AutoCloseable {
    final Process process;
    final Lines out = new Lines();

    private JavaProgram(Process process) {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = r.readLine(); line != null; line = r.readLine()) {
                    out.add(line);
                  }
                } catch (IOException e) {
                  // The process ended; what it printed is kept.
                } finally {
                  out.close();
                }
              },
              "doc-program-output");
      reader.setDaemon(true);
      reader.start();
    }

    static JavaProgram start(String mainClass, String... args) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-cp");
      command.add(classes + java.io.File.pathSeparator + System.getProperty("java.class.path"));
      command.add(mainClass);
      command.addAll(List.of(args));
      try {
        return new JavaProgram(
            new ProcessBuilder(command).redirectErrorStream(true).directory(work.toFile()).start());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    int awaitExit() throws InterruptedException {
      assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("program ends; output: %s", out.snapshot())
          .isTrue();
      return process.exitValue();
    }

    /** Stops the program as Ctrl-C would, so that its shutdown hooks run. */
    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      }
    }
  }
}
