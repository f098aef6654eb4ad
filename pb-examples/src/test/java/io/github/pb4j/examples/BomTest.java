package io.github.pb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * pb4j-bom names every module a program may depend on, at the build's version, so a new module
 * cannot be forgotten there. Only the test suites and the benchmarks are left out.
 */
class BomTest {
  private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).resolve("..");
  private static final Set<String> NOT_PUBLISHED =
      Set.of("pb4j-bom", "pb-interop", "pb-benchmarks");

  @Test
  void theBomManagesEveryPublishedModule() throws Exception {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("pb4j-bom/pom.xml"));
    List<String> modules =
        all(Pattern.compile("<module>([\\w-]+)</module>"), parent).stream()
            .filter(m -> !NOT_PUBLISHED.contains(m))
            .toList();
    List<String> managed = all(Pattern.compile("<artifactId>([\\w-]+)</artifactId>"), bom);

    assertThat(modules).isNotEmpty().contains("pb-netty", "pb-userstore");
    assertThat(managed).contains("pb4j-bom").containsAll(modules);
    assertThat(version(bom)).isEqualTo(version(parent));
  }

  private static List<String> all(Pattern pattern, String text) {
    return pattern.matcher(text).results().map(r -> r.group(1)).toList();
  }

  /** The project's own version: the first {@code <version>} after its artifactId. */
  private static String version(String pom) {
    Pattern own =
        Pattern.compile("(?s)<artifactId>pb4j-(?:parent|bom)</artifactId>.*?<version>([^<]+)<");
    Matcher m = own.matcher(pom);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
