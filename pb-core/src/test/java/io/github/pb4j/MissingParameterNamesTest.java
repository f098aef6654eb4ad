package io.github.pb4j;

import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A class compiled without {@code javac -parameters} (as the single-file launcher compiles) has
 * parameters named arg0, arg1, ...: keyword arguments cannot reach them. The method table says so
 * once per class, and a call with keyword arguments fails with a message that says what to do.
 */
@Timeout(60)
class MissingParameterNamesTest {
  @TempDir Path directory;

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @BeforeEach
  void capture() {
    appender.start();
    root.addAppender(appender);
  }

  @AfterEach
  void restore() {
    root.detachAppender(appender);
  }

  /** Compiles {@code source} (class {@code nonames.<name>}) without -parameters and loads it. */
  static Class<?> compileWithoutParameterNames(Path directory, String name, String source)
      throws IOException, ClassNotFoundException, URISyntaxException {
    Path file = directory.resolve("src/nonames/" + name + ".java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
    Path classes = Files.createDirectories(directory.resolve("classes"));
    String classPath = Path.of(Remote.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", classPath, file.toString());
    assertThat(rc).as("javac exit status").isZero();
    URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        MissingParameterNamesTest.class.getClassLoader());
    return loader.loadClass("nonames." + name);
  }

  private static final String SOURCE = """
      package nonames;

      import io.github.pb4j.Param;
      import io.github.pb4j.Remote;
      import io.github.pb4j.Root;

      public class %s implements Root {
        @Remote
        public String print(String message) {
          return "printed " + message;
        }

        @Remote
        public String named(@Param("message") String message) {
          return "named " + message;
        }

        @Remote
        public int count(Object... items) {
          return items.length;
        }
      }
      """;

  @Test
  void theTableWarnsOnceNamingTheClassAndWhatToDo() throws Exception {
    Class<?> type = compileWithoutParameterNames(directory, "Printer", SOURCE.formatted("Printer"));

    MethodTable.of(type);
    MethodTable.of(type);

    List<ILoggingEvent> warnings = appender.list.stream()
        .filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().contains("nonames.Printer"))
        .toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getFormattedMessage())
        .contains("[print]")
        .doesNotContain("named")
        .doesNotContain("count")
        .contains("-parameters")
        .contains("@Param");
  }

  @Test
  void aKeywordCallSaysWhatToDo() throws Exception {
    Class<?> type = compileWithoutParameterNames(directory, "Printer2", SOURCE.formatted("Printer2"));
    Object printer = type.getConstructor().newInstance();
    try (LoopbackPair pair = LoopbackPair.create(printer)) {
      RemoteReference root = pair.root();

      // By position it works, and so does a parameter named with @Param.
      assertThat(root.callRemote("print", "hi").join()).isEqualTo("printed hi");
      assertThat(root.callRemoteWithKeywords("named", List.of(), Map.of("message", "hi")).join())
          .isEqualTo("named hi");

      Throwable failure = failureOf(root.callRemoteWithKeywords("print", List.of(), Map.of("message", "hi")));
      assertThat(failure).isInstanceOf(RemoteFailureException.class);
      assertThat(((RemoteFailureException) failure).remoteValue())
          .startsWith("print() got an unexpected keyword argument 'message'")
          .contains("Printer2.print")
          .contains("javac -parameters")
          .contains("@Param(\"name\")");
      pair.settle();
    }
    // The callee's log says the same.
    assertThat(appender.list).anySatisfy(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).contains("unexpected keyword argument 'message'").contains("-parameters");
    });
  }
}
