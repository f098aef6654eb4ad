package io.github.pb4j.buildbot.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunProcessEnvironmentTest {
  private static final Map<String, String> WORKER = Map.of("HOME", "/home/w", "PATH", "/bin", "KEEP", "k",
      "PYTHONPATH", "/py");

  @Test
  void noEnvMeansTheWorkersEnvironment() {
    assertThat(RunProcess.environment(WORKER, null)).isEqualTo(WORKER);
    assertThat(RunProcess.environment(WORKER, Map.of())).isEqualTo(WORKER);
  }

  @Test
  void envExpandsFromTheWorkersEnvironmentJoinsListsAndDeletesNone() {
    Map<String, Object> env = new HashMap<>();
    env.put("FOO", "x${HOME}y${NOPE}");
    env.put("PATH", List.of("/opt/bin", "${PATH}"));
    env.put("KEEP", null);
    Map<String, String> result = RunProcess.environment(WORKER, env);
    assertThat(result).containsEntry("FOO", "x/home/wy").containsEntry("PATH", "/opt/bin:/bin")
        .doesNotContainKey("KEEP").containsEntry("HOME", "/home/w");
  }

  @Test
  void pythonpathIsExtendedWithTheWorkersOwn() {
    assertThat(RunProcess.environment(WORKER, Map.of("PYTHONPATH", "/mine")))
        .containsEntry("PYTHONPATH", "/mine:/py");
  }

  @Test
  void valuesThatAreNotTextAreRefusedAsPythonRefusesThem() {
    assertThatThrownBy(() -> RunProcess.environment(WORKER, Map.of("N", 3)))
        .hasMessage("'env' values must be strings or lists; key 'N' is incorrect");
  }
}
