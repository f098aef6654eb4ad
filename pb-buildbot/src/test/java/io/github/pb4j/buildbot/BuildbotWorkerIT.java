package io.github.pb4j.buildbot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.buildbot.BuildbotMaster.Build;
import io.github.pb4j.buildbot.BuildbotMaster.Step;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * pb4j's worker against a stock Buildbot 3.7 master, with Python's buildbot-worker on the same
 * master as the oracle: every scenario of master.cfg is built by both, and the results, logs and
 * properties the master recorded must agree (and say what they should).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BuildbotWorkerIT {
  private static final Duration BUILD_TIMEOUT = Duration.ofSeconds(90);
  private static final int SUCCESS = 0;
  private static final int FAILURE = 2;
  private static final int EXCEPTION = 4;
  private static final int CANCELLED = 6;

  private Path root;
  private BuildbotMaster master;
  private Process python;
  private BuildbotWorker javaWorker;
  private java.util.concurrent.CompletableFuture<BuildbotWorker.Outcome> javaOutcome;
  private final List<BuildbotWorker> others = new ArrayList<>();

  @BeforeAll
  void startMasterAndWorkers() throws Exception {
    root = Path.of("target", "buildbot-it").toAbsolutePath();
    BuildbotMaster.deleteTree(root);
    Files.createDirectories(root);
    master = BuildbotMaster.create(root.resolve("master"));
    master.start();
    python = master.startPythonWorker(root.resolve("py"), "py", "pw-py");
    javaWorker = worker("java", "pw-java", 0);
    javaOutcome = javaWorker.start();
    javaWorker.attached().get(30, TimeUnit.SECONDS);
    master.awaitLog("Worker py attached to", Duration.ofSeconds(60));
    master.awaitLog("Worker java attached to", Duration.ofSeconds(60));
  }

  private BuildbotWorker worker(String name, String password, int maxRetries) {
    return BuildbotWorker.builder()
        .master("127.0.0.1", master.port)
        .name(name)
        .password(password.toCharArray())
        .basedir(root.resolve(name))
        .maxRetries(maxRetries)
        .build();
  }

  @AfterAll
  void stopAll() throws Exception {
    for (BuildbotWorker w : others) {
      w.stop(Duration.ofSeconds(2)).get(20, TimeUnit.SECONDS);
    }
    if (javaWorker != null) {
      javaWorker.stop(Duration.ofSeconds(2)).get(20, TimeUnit.SECONDS);
    }
    if (python != null) {
      python.destroy();
      python.waitFor(20, TimeUnit.SECONDS);
    }
    if (master != null) {
      master.close();
    }
  }

  /** Builds scenario S on both workers; returns {py build, java build}. */
  private Build[] buildBoth(String scenario) throws Exception {
    return buildBoth(List.of(scenario)).get(scenario);
  }

  /** Builds several scenarios at once; returns scenario to {py build, java build}. */
  private Map<String, Build[]> buildBoth(List<String> scenarios) throws Exception {
    Map<String, Integer> next = new LinkedHashMap<>();
    for (String scenario : scenarios) {
      next.put(scenario, master.builds(scenario + "-java").size() + 1);
      master.sendChange(scenario);
    }
    Map<String, Build[]> result = new LinkedHashMap<>();
    for (String scenario : scenarios) {
      Build py = master.awaitBuild(scenario + "-py", next.get(scenario), BUILD_TIMEOUT);
      Build jv = master.awaitBuild(scenario + "-java", next.get(scenario), BUILD_TIMEOUT);
      result.put(scenario, new Build[] {py, jv});
    }
    return result;
  }

  /** A step by name, with its logs. */
  private record StepView(Step step, Map<String, String> logs) {
    String stdio() {
      return logs.getOrDefault("stdio", "");
    }
  }

  private Map<String, StepView> view(Build build) {
    Map<String, StepView> result = new LinkedHashMap<>();
    for (Step s : master.steps(build.id())) {
      result.put(s.name(), new StepView(s, master.logs(s.id())));
    }
    return result;
  }

  /**
   * What must agree between the two workers: per stream (stdout, stderr, header) its lines, with
   * the worker's directory and name, the environment listing and the elapsed time taken out, and
   * repeated lines counted once (a ticking loop's count is timing).
   */
  static Map<Character, List<String>> normalize(String log, String scenario, String worker, Path basedir) {
    Map<Character, List<String>> streams = new TreeMap<>();
    for (String line : log.split("\n")) {
      if (line.isEmpty() || line.startsWith("h  ")) {
        continue;
      }
      String l = line.replace(basedir.toString(), "BASEDIR").replace(scenario + "-" + worker, scenario + "-W")
          .replaceAll("elapsedTime=[0-9.]+", "elapsedTime=T");
      List<String> lines = streams.computeIfAbsent(l.charAt(0), c -> new ArrayList<>());
      if (lines.isEmpty() || !lines.get(lines.size() - 1).equals(l)) {
        lines.add(l);
      }
    }
    return streams;
  }

  private void assertSameAsPython(String scenario, Build py, Build jv, List<String> probes) {
    Map<String, StepView> p = view(py);
    Map<String, StepView> j = view(jv);
    p.remove("worker_preparation");
    j.remove("worker_preparation");
    assertThat(j.keySet()).containsExactlyElementsOf(p.keySet());
    for (String name : p.keySet()) {
      Step ps = p.get(name).step();
      Step js = j.get(name).step();
      assertThat(js.results()).as("results of step %s", name).isEqualTo(ps.results());
      assertThat(js.state()).as("state of step %s", name).isEqualTo(ps.state());
      if (name.equals("unknown-command")) {
        continue; // The log holds each side's traceback text.
      }
      if (name.equals("interrupt-term")) {
        // Deliberately different: Python closes the pipes right after the signal, so what the
        // program writes while it ends is lost (its trap's echo fails or it dies of SIGPIPE);
        // pb4j reads on until the program has ended. Asserted separately.
        continue;
      }
      assertThat(j.get(name).logs().keySet()).as("logs of step %s", name).isEqualTo(p.get(name).logs().keySet());
      for (String log : p.get(name).logs().keySet()) {
        assertThat(normalize(j.get(name).logs().get(log), scenario, "java", root.resolve("java")))
            .as("log %s of step %s", log, name)
            .isEqualTo(normalize(p.get(name).logs().get(log), scenario, "py", root.resolve("py")));
      }
    }
    assertThat(jv.results()).isEqualTo(py.results());
    Map<String, String> pp = master.properties(py.id());
    Map<String, String> jp = master.properties(jv.id());
    for (String probe : probes) {
      assertThat(jp.get(probe)).as("property %s", probe).isNotNull().isEqualTo(pp.get(probe));
    }
  }

  @Test
  @Order(1)
  void shellStepsGiveThePythonWorkersResults() throws Exception {
    Map<String, Build[]> all = buildBoth(List.of("shell", "interrupt", "interrupt-term"));
    all.forEach((scenario, builds) -> assertSameAsPython(scenario, builds[0], builds[1], List.of()));
    Build[] builds = all.get("shell");
    Map<String, StepView> j = view(builds[1]);
    j.putAll(view(all.get("interrupt")[1]));
    j.putAll(view(all.get("interrupt-term")[1]));
    String home = System.getenv("HOME");
    assertThat(j.get("env").stdio())
        .contains("ox" + home + "y a:b \n", "eerr\n", "h  FOO=x" + home + "y\n", "h  P=a:b\n")
        .doesNotContain("h  GONE=")
        .endsWith("opartial\n");
    assertThat(j.get("argv").stdio()).contains("hsh -c 'echo \"[$1]\"; echo \"[$2]\"' x 'a b' \"\"\n",
        "h argv: [b'sh', b'-c', b'echo \"[$1]\"; echo \"[$2]\"', b'x', b'a b', b'']\n", "o[a b]\n", "o[]\n");
    assertThat(j.get("quiet").stdio()).contains("eshown").doesNotContain("ohidden");
    assertThat(j.get("utf8").stdio()).contains("o\u00e9t\u00e9 \uD83D\uDE00 ok\n");
    assertThat(j.get("crlf").stdio()).contains("oa\nob\noc\n");
    assertThat(j.get("rc3").step().results()).isEqualTo(FAILURE);
    assertThat(j.get("rc3").stdio()).contains("hprogram finished with exit code 3\n");
    assertThat(j.get("stdin").stdio()).contains("h writing 4 bytes to stdin\n", "ofed\n");
    assertThat(j.get("logfile").logs().get("mylog")).isEqualTo("oone\notwo\n");
    assertThat(j.get("timeout").step().results()).isEqualTo(FAILURE);
    assertThat(j.get("timeout").stdio()).contains(
        "hcommand timed out: 1 seconds without output running b'sleep 30', attempting to kill\n",
        "hprocess killed by signal 9\n", "hprogram finished with exit code -1\n");
    assertThat(j.get("maxtime").stdio()).contains("otick\n",
        "command timed out: 1 seconds elapsed running b'while true; do echo tick; sleep 0.3; done'");
    assertThat(j.get("sigterm").stdio()).contains("ogot TERM\n", "hprogram finished with exit code 7\n");
    assertThat(j.get("group").stdio()).doesNotContain("oescaped").contains("process killed by signal 9");
    assertThat(j.get("interrupt").step().results()).isEqualTo(CANCELLED);
    assertThat(j.get("interrupt").stdio()).contains("ostarted\n", "command interrupted, attempting to kill");
    assertThat(j.get("interrupt-term").stdio()).contains("oterm\n", "hprogram finished with exit code 5\n");
    // Python's side races: the program dies of SIGPIPE or exits 5, its "term" is usually lost.

    List<String> bulk = j.get("bulk").stdio().lines().filter(l -> l.startsWith("o")).toList();
    assertThat(bulk).hasSize(20000);
    assertThat(bulk.get(19999)).isEqualTo("oline 19999 \u00e9 \uD83D\uDE00 " + "0".repeat(100));
    assertThat(j.get("missing-dir").stdio()).contains("o" + root.resolve("java") + "/shell-java/build/sub/dir\n");
  }

  @Test
  @Order(2)
  void fileCommandsGiveThePythonWorkersResults() throws Exception {
    Build[] builds = buildBoth("files");
    assertSameAsPython("files", builds[0], builds[1],
        List.of("stat", "glob", "glob2", "listdir", "listdir-missing", "rmfile", "rmfile-again"));
    Map<String, StepView> j = view(builds[1]);
    assertThat(j.get("download").step().results()).isEqualTo(SUCCESS);
    assertThat(j.get("check").stdio()).contains("o-rw-r-----\n", "ohello\noworld\n");
    assertThat(j.get("download-max").step().results()).isEqualTo(FAILURE);
    assertThat(j.get("download-max").stdio()).contains("Maximum filesize reached");
    assertThat(j.get("upload-missing").step().results()).isEqualTo(FAILURE);
    assertThat(j.get("stat-missing").step().results()).isEqualTo(FAILURE);
    Path build = root.resolve("java/files-java/build");
    assertThat(build.resolve("copy/sub/b.txt")).hasContent("b");
    assertThat(build.resolve("made")).doesNotExist();
    assertThat(build.resolve("dl.txt")).doesNotExist();
    assertThat(j.get("unknown-command").step().results()).isEqualTo(EXCEPTION);
    assertThat(String.join("", j.get("unknown-command").logs().values())).contains("unrecognized WorkerCommand 'bogus'");
    Map<String, String> props = master.properties(builds[1].id());
    assertThat(props.get("stat")).contains("(0, (33184, 12))");
    assertThat(props.get("listdir")).contains("(0, ['a.txt', 'link', 'sub'])");
    assertThat(props.get("listdir-missing")).contains("(2, {})");
    assertThat(props.get("rmfile-again")).contains("(2, {})");
    Path out = master.dir.resolve("out/java");
    assertThat(out.resolve("up.txt")).hasContent("hello\nworld");
    assertThat(Files.readString(out.resolve("up.txt"), StandardCharsets.UTF_8)).isEqualTo("hello\nworld\n");
    for (String tree : List.of("tree", "tree2")) {
      assertThat(out.resolve(tree + "/a.txt")).hasContent("a");
      assertThat(out.resolve(tree + "/sub/b.txt")).hasContent("b");
      assertThat(Files.isSymbolicLink(out.resolve(tree + "/link"))).isTrue();
    }
  }

  @Test
  @Order(3)
  void aWrongPasswordEndsTheWorkerWithAClearOutcome() throws Exception {
    BuildbotWorker w = worker("java2", "wrong", 0);
    assertThat(w.start().get(30, TimeUnit.SECONDS)).isEqualTo(BuildbotWorker.Outcome.LOGIN_REFUSED);
    assertThat(w.failure()).isInstanceOf(io.github.pb4j.cred.UnauthorizedLoginException.class);
  }

  @Test
  @Order(4)
  void aMasterThatIsNotThereIsRetriedThenGivenUp() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    BuildbotWorker w = BuildbotWorker.builder().master("127.0.0.1", port).name("nobody")
        .password("x".toCharArray()).basedir(root.resolve("nobody")).maxRetries(2).build();
    long start = System.nanoTime();
    assertThat(w.start().get(30, TimeUnit.SECONDS)).isEqualTo(BuildbotWorker.Outcome.GAVE_UP);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1400));
  }

  @Test
  @Order(5)
  void theWorkerSurvivesAMasterRestartMidBuild() throws Exception {
    master.sendChange("long");
    BuildbotMaster.await(() -> master.builds("long-java").stream().anyMatch(b -> !b.complete()
            && master.steps(b.id()).stream().anyMatch(s -> s.name().equals("long")
                && master.logs(s.id()).getOrDefault("stdio", "").contains("obegin"))),
        BUILD_TIMEOUT, "the long build to run");
    master.stop();
    // A second worker starts while the master is down: it keeps trying.
    BuildbotWorker late = worker("java2", "pw-java2", 0);
    others.add(late);
    var lateOutcome = late.start();
    master.start();
    late.attached().get(60, TimeUnit.SECONDS);
    master.awaitLog("Worker java attached to", Duration.ofSeconds(60));
    master.awaitLog("Worker java2 attached to", Duration.ofSeconds(60));
    assertThat(javaOutcome).isNotDone();
    assertThat(lateOutcome).isNotDone();
    int next = master.builds("quick-java").size() + 1;
    int next2 = master.builds("quick-java2").size() + 1;
    master.sendChange("quick");
    Build quick = master.awaitBuild("quick-java", next, BUILD_TIMEOUT);
    assertThat(quick.results()).isEqualTo(SUCCESS);
    Build quick2 = master.awaitBuild("quick-java2", next2, BUILD_TIMEOUT);
    assertThat(quick2.results()).isEqualTo(SUCCESS);
    assertThat(view(quick).get("quick").stdio()).contains("oquick\n");
    lateWorker = late;
    lateOutcome2 = lateOutcome;
  }

  private BuildbotWorker lateWorker;
  private java.util.concurrent.CompletableFuture<BuildbotWorker.Outcome> lateOutcome2;

  @Test
  @Order(6)
  void aDuplicateWorkerIsRejectedAndTheLiveOneKeepsItsSession() throws Exception {
    int attachedBefore = master.countInLog("Worker java attached to");
    BuildbotWorker dup = BuildbotWorker.builder().master("127.0.0.1", master.port).name("java")
        .password("pw-java".toCharArray()).basedir(root.resolve("java-dup")).build();
    assertThat(dup.start().get(60, TimeUnit.SECONDS)).isEqualTo(BuildbotWorker.Outcome.DUPLICATE);
    assertThat(javaOutcome).isNotDone();
    assertThat(master.countInLog("Worker java attached to")).isEqualTo(attachedBefore);
    int next = master.builds("quick-java").size() + 1;
    master.sendChange("quick");
    assertThat(master.awaitBuild("quick-java", next, BUILD_TIMEOUT).results()).isEqualTo(SUCCESS);
  }

  @Test
  @Order(7)
  void stoppingMidBuildKillsTheCommandAndTheMasterRetriesTheBuild() throws Exception {
    assertThat(lateWorker).as("set by the restart test").isNotNull();
    master.sendChange("term");
    BuildbotMaster.await(() -> master.builds("term-java2").stream().anyMatch(b -> !b.complete()
            && master.steps(b.id()).stream().anyMatch(s -> s.name().equals("term")
                && master.logs(s.id()).getOrDefault("stdio", "").contains("obegin"))),
        BUILD_TIMEOUT, "the term build to run");
    assertThat(sleepers()).isNotEmpty();
    others.remove(lateWorker);
    assertThat(lateWorker.stop(Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS))
        .isEqualTo(BuildbotWorker.Outcome.STOPPED);
    assertThat(lateOutcome2).isCompletedWithValue(BuildbotWorker.Outcome.STOPPED);
    assertThat(sleepers()).as("the command's process group is gone").isEmpty();
    Build term = master.awaitBuild("term-java2", 1, BUILD_TIMEOUT);
    assertThat(term.results()).as("RETRY, as when a Python worker stops").isEqualTo(5);
    Step step = master.steps(term.id()).stream().filter(s -> s.name().equals("term")).findFirst().orElseThrow();
    assertThat(master.logs(step.id()).get("stdio")).contains("obegin\n").doesNotContain("oend");
  }

  @Test
  @Order(8)
  void aGracefulShutdownIsCarriedOutByTheMaster() throws Exception {
    BuildbotWorker w = worker("java2", "pw-java2", 0);
    others.add(w);
    var outcome = w.start();
    w.attached().get(60, TimeUnit.SECONDS);
    assertThat(w.gracefulShutdown().get(60, TimeUnit.SECONDS)).isEqualTo(BuildbotWorker.Outcome.SHUT_DOWN_BY_MASTER);
    assertThat(outcome).isCompletedWithValue(BuildbotWorker.Outcome.SHUT_DOWN_BY_MASTER);
    others.remove(w);
  }

  private static List<ProcessHandle> sleepers() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").endsWith("sleep 31"))
        .toList();
  }
}
