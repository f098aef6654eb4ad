package io.github.pb4j.buildbot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.Tuple;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PyTest {
  @Test
  void joinIsPosixpathJoin() {
    assertThat(Py.join("/w", "b")).isEqualTo("/w/b");
    assertThat(Py.join("/w/", "b")).isEqualTo("/w/b");
    assertThat(Py.join("/w", "")).isEqualTo("/w/");
    assertThat(Py.join("/w", "/abs", "x")).isEqualTo("/abs/x");
    assertThat(Py.join("/w", "build", "../x")).isEqualTo("/w/build/../x");
  }

  @Test
  void quoteIsShlexQuoteWithEmptyWordsAsDoubleQuotes() {
    assertThat(Py.quote("abc-1.2/x")).isEqualTo("abc-1.2/x");
    assertThat(Py.quote("a b")).isEqualTo("'a b'");
    assertThat(Py.quote("it's")).isEqualTo("'it'\"'\"'s'");
    assertThat(Py.quote("")).isEqualTo("\"\"");
    assertThat(Py.quote("\u00e9")).isEqualTo("'\u00e9'");
  }

  @Test
  void strPrintsNumbersAsPythonDoes() {
    assertThat(Py.str(5)).isEqualTo("5");
    assertThat(Py.str(1.5)).isEqualTo("1.5");
    assertThat(Py.str(2.0)).isEqualTo("2.0");
  }

  @Test
  void decodeTurnsBytesIntoTextInsideContainers() {
    Object decoded = Py.decode(Map.of(ByteString.utf8("k"), List.of(ByteString.utf8("v"), Tuple.of(ByteString.utf8("t")))));
    assertThat(decoded).isEqualTo(Map.of("k", List.of("v", Tuple.of("t"))));
  }

  @Test
  void ioFailuresGetPythonsErrnoAndStrerror() {
    assertThat(Py.osError(new NoSuchFileException("/x"))).isEqualTo(new Py.OsError(2, "No such file or directory"));
    assertThat(Py.osError(new AccessDeniedException("/x"))).isEqualTo(new Py.OsError(13, "Permission denied"));
    assertThat(Py.osError(new FileAlreadyExistsException("/x"))).isEqualTo(new Py.OsError(17, "File exists"));
    assertThat(Py.osError(new FileSystemException("/x", null, "Is a directory"))).isEqualTo(new Py.OsError(21, "Is a directory"));
  }
}
