package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.Avatar;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.netty.PbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pb buildbot-worker} against a stand-in master made of pb4j parts: a portal that knows
 * the worker's password and an avatar with Buildbot's {@code keepalive}. (The real master is in
 * pb-buildbot's BuildbotWorkerIT.)
 */
@Timeout(60)
class BuildbotWorkerCommandTest {
  /** The master's side of a worker connection. */
  public static final class Connection implements Avatar {
    final CountDownLatch keepalives = new CountDownLatch(1);

    final CompletableFuture<Boolean> shutdownAsked = new CompletableFuture<>();

    @Remote
    public void keepalive() {
      keepalives.countDown();
    }

    @Remote
    public void shutdown() {
      shutdownAsked.complete(true);
    }
  }

  @TempDir Path dir;
  private final Connection connection = new Connection();
  private final CompletableFuture<RemoteReference> mind = new CompletableFuture<>();
  private PbServer master;

  @BeforeEach
  void startMaster() {
    Realm realm = new Realm() {
      @Override
      public CompletionStage<LoginResult<?>> requestAvatar(AvatarId id, @Nullable Object m, Class<?>... interfaces) {
        mind.complete((RemoteReference) m);
        return CompletableFuture.completedFuture(new LoginResult<>(Avatar.class, connection, () -> {}));
      }
    };
    Portal portal = Portal.builder().realm(realm)
        .checker(new InMemoryUsernamePasswordDatabaseDontUse().addUser("jw", "right")).build();
    master = PbServer.builder().host("127.0.0.1").port(0).portal(portal).build().start();
  }

  @AfterEach
  void stopMaster() {
    master.close();
  }

  private String[] args(String... more) {
    List<String> all = new java.util.ArrayList<>(List.of("buildbot-worker", "--master", "127.0.0.1:" + master.port(),
        "--name", "jw", "--basedir", dir.resolve("worker").toString()));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void aWrongPasswordEndsWithStatus1AndSaysWhy() {
    CliRun.Result r = CliRun.run("wrong\n", Map.of(), args("--password-stdin"));
    assertThat(r.exitCode()).isEqualTo(PbCli.FAILED);
    assertThat(r.err()).contains("login refused by the master: check the worker's name (jw) and password");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theWorkerServesTheMasterKeepsAliveAndStopsWhenTheMasterSaysSo() throws Exception {
    Files.writeString(dir.resolve("pw"), "right\n");
    try (CliRun.Running worker = new CliRun.Running(Map.of(),
        args("--password-file", dir.resolve("pw").toString(), "--keepalive", "1", "--numcpus", "3"))) {
      RemoteReference bot = mind.get(30, TimeUnit.SECONDS);
      Map<Object, Object> info = (Map<Object, Object>) bot.callRemote("getWorkerInfo").get(10, TimeUnit.SECONDS);
      assertThat(info).containsEntry("numcpus", 3).containsEntry("system", "posix")
          .containsEntry("basedir", dir.resolve("worker").toAbsolutePath().toString())
          .containsKeys("environ", "version", "worker_commands", "delete_leftover_dirs");
      assertThat((Map<Object, Object>) info.get("worker_commands")).containsEntry("shell", "3.1").hasSize(14);
      Map<?, ?> builders = (Map<?, ?>) bot.callRemote("setBuilderList", List.of(Tuple.of("b1", "b1dir")))
          .get(10, TimeUnit.SECONDS);
      assertThat(builders.get("b1")).isInstanceOf(RemoteReference.class);
      assertThat(dir.resolve("worker/b1dir")).isDirectory();
      assertThat(connection.keepalives.await(10, TimeUnit.SECONDS)).as("a keepalive within 10 s").isTrue();
      bot.callRemote("shutdown").get(10, TimeUnit.SECONDS);
      assertThat(worker.awaitExit(Duration.ofSeconds(20))).isEqualTo(PbCli.OK);
      assertThat(worker.err.snapshot()).contains("pb buildbot-worker: shut down by the master");
    }
  }

  @Test
  void sighupAsksTheMasterForAGracefulShutdown() throws Exception {
    try (CliRun.Running worker = new CliRun.Running(Map.of("BUILDBOT_WORKER_PASSWORD", "right"),
        args("--allow-shutdown", "signal"))) {
      RemoteReference bot = mind.get(30, TimeUnit.SECONDS);
      bot.callRemote("print", "attached").get(10, TimeUnit.SECONDS); // The worker is serving.
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
      assertThat(kill.waitFor()).isZero();
      assertThat(connection.shutdownAsked.get(20, TimeUnit.SECONDS)).isTrue();
      bot.callRemote("shutdown").get(10, TimeUnit.SECONDS);
      assertThat(worker.awaitExit(Duration.ofSeconds(20))).isEqualTo(PbCli.OK);
    }
  }

  @Test
  void tlsWithTheMastersCaAttachesAndWithoutItNever() throws Exception {
    Path key = dir.resolve("key.pem");
    Path cert = dir.resolve("cert.pem");
    Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(),
        "-out", cert.toString()).redirectErrorStream(true).start();
    openssl.getInputStream().readAllBytes();
    assertThat(openssl.waitFor()).isZero();
    Realm realm = new Realm() {
      @Override
      public CompletionStage<LoginResult<?>> requestAvatar(AvatarId id, @Nullable Object m, Class<?>... interfaces) {
        mind.complete((RemoteReference) m);
        return CompletableFuture.completedFuture(new LoginResult<>(Avatar.class, connection, () -> {}));
      }
    };
    Portal portal = Portal.builder().realm(realm)
        .checker(new InMemoryUsernamePasswordDatabaseDontUse().addUser("jw", "right")).build();
    try (PbServer tls = PbServer.builder().host("127.0.0.1").port(0).portal(portal)
        .sslContext(io.netty.handler.ssl.SslContextBuilder.forServer(cert.toFile(), key.toFile()).build())
        .build().start()) {
      Map<String, String> env = Map.of("BUILDBOT_WORKER_PASSWORD", "right");
      String[] common = {"buildbot-worker", "--master", "127.0.0.1:" + tls.port(), "--name", "jw",
          "--basedir", dir.resolve("tw").toString()};
      CliRun.Result untrusted = CliRun.run("", env, concat(common, "--tls", "--max-retries", "1"));
      assertThat(untrusted.exitCode()).as(untrusted.err()).isEqualTo(PbCli.CANNOT_CONNECT);
      assertThat(mind).isNotDone();
      try (CliRun.Running worker = new CliRun.Running(env, concat(common, "--tls-ca", cert.toString()))) {
        RemoteReference bot = mind.get(30, TimeUnit.SECONDS);
        bot.callRemote("shutdown").get(10, TimeUnit.SECONDS);
        assertThat(worker.awaitExit(Duration.ofSeconds(20))).isEqualTo(PbCli.OK);
      }
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void optionsComeFromAConfigFile() throws Exception {
    Files.writeString(dir.resolve("pw"), "wrong\n");
    Path config = dir.resolve("worker.conf");
    Files.writeString(config, "master = 127.0.0.1:" + master.port() + "\nname = jw\nbasedir = "
        + dir.resolve("w") + "\npassword-file = " + dir.resolve("pw") + "\n");
    CliRun.Result r = CliRun.run("buildbot-worker", "--config", config.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(PbCli.FAILED);
    assertThat(r.err()).contains("login refused by the master: check the worker's name (jw) and password");
    assertThat(dir.resolve("w")).isDirectory();
  }

  @Test
  void anUnreachableMasterEndsWithStatus3AfterMaxRetries() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CliRun.Result r = CliRun.run("", Map.of("BUILDBOT_WORKER_PASSWORD", "x"), "buildbot-worker",
        "--master", "127.0.0.1:" + port, "--name", "jw", "--basedir", dir.resolve("w").toString(),
        "--max-retries", "1");
    assertThat(r.exitCode()).isEqualTo(PbCli.CANNOT_CONNECT);
    assertThat(r.err()).contains("gave up: cannot reach the master at 127.0.0.1:" + port);
  }

  @Test
  void thePasswordCannotBeGivenOnTheCommandLineAndRequiredOptionsAreChecked() {
    assertThat(CliRun.run(args("--password", "x")).exitCode()).isEqualTo(PbCli.USAGE);
    CliRun.Result r = CliRun.run("", Map.of("BUILDBOT_WORKER_PASSWORD", "x"), "buildbot-worker", "--name", "jw");
    assertThat(r.exitCode()).isEqualTo(PbCli.USAGE);
    assertThat(r.err()).contains("--master, --name and --basedir are required");
    assertThat(CliRun.run("", Map.of("BUILDBOT_WORKER_PASSWORD", "x"), args("--umask", "9")).exitCode())
        .isEqualTo(PbCli.USAGE);
  }
}
