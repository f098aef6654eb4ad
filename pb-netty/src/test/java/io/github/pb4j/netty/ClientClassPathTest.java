package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a client brings: pb-netty's test class path holds everything its compile and runtime
 * dependencies bring, and none of the user store's JDBC drivers or Bouncy Castle. The build checks
 * the same with a maven-enforcer-plugin rule in pb-netty's POM.
 */
class ClientClassPathTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "org.bouncycastle.crypto.generators.Argon2BytesGenerator",
        "org.sqlite.JDBC",
        "org.postgresql.Driver",
        "io.github.pb4j.userstore.JdbcUserStore"
      })
  void userStoreClassesAreNotThere(String className) {
    assertThat(loadable(className)).as(className).isFalse();
  }

  @Test
  void classPathHasNoUserStoreJars() {
    List<String> entries = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
    assertThat(entries).isNotEmpty();
    assertThat(entries)
        .noneMatch(e -> e.contains("bouncycastle") || e.contains("bcprov"))
        .noneMatch(e -> e.contains("sqlite-jdbc"))
        .noneMatch(e -> e.contains("postgresql"))
        .noneMatch(e -> e.contains("pb-userstore"));
  }

  @Test
  void theClientClassesAreThere() {
    assertThat(loadable("io.github.pb4j.netty.PbClient")).isTrue();
    assertThat(loadable("io.github.pb4j.cred.Portal")).isTrue();
  }

  private static boolean loadable(String className) {
    try {
      Class.forName(className, false, ClientClassPathTest.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
