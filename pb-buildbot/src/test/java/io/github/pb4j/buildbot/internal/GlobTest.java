package io.github.pb4j.buildbot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Glob against Python's own glob.glob(recursive=True) on the same tree. */
class GlobTest {
  @TempDir static Path dir;

  @BeforeAll
  static void tree() throws Exception {
    for (String f : List.of("a.txt", "b.log", ".hidden.txt", "sub/c.txt", "sub/deep/d.txt", "sub/.h/e.txt",
        "x[1].txt", "weird name.txt")) {
      Path p = dir.resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, f);
    }
    Files.createDirectories(dir.resolve("empty"));
  }

  private static List<String> python(String pattern) throws Exception {
    Process p = new ProcessBuilder(System.getProperty("pb4j.python", "/usr/bin/python3"), "-c",
        "import glob, json, sys; print(json.dumps(glob.glob(sys.argv[1], recursive=True)))", pattern)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return List.of(new ObjectMapper().readValue(out, String[].class));
  }

  @Test
  void matchesPythonsGlob() throws Exception {
    for (String pattern : List.of("*.txt", "*", ".*", "**", "**/*.txt", "sub/**", "sub/*/d.txt", "?.txt",
        "[ab].*", "[!a]*.txt", "x[[]1].txt", "nothing*", "a.txt", "absent.txt", "sub/", "*/", "empty/**",
        "sub/**/", "[.]hidden.txt", "weird name.txt")) {
      String full = dir + "/" + pattern;
      assertThat(Glob.glob(full)).as(pattern).isEqualTo(python(full));
    }
  }
}
