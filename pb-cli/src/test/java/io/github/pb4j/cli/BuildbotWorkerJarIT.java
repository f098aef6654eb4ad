package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.Avatar;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.netty.PbServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar pb.jar buildbot-worker} as a service manager runs it: it attaches to a master
 * (a pb4j stand-in) soon after start, and SIGTERM in the middle of a command kills the command's
 * process group, ends the connection and exits 0.
 */
@Timeout(60)
class BuildbotWorkerJarIT {
  /** The master's avatar. */
  public static final class Connection implements Avatar {
    @Remote
    public void keepalive() {}
  }

  /** The master's RemoteCommand; this test only needs to know output arrived. */
  public static final class RemoteCommand implements Referenceable {
    final CompletableFuture<String> firstOutput = new CompletableFuture<>();
    final CompletableFuture<@Nullable Object> completed = new CompletableFuture<>();

    @Remote
    public int update(List<?> updates) {
      for (Object u : updates) {
        Object out = ((Map<?, ?>) ((List<?>) u).get(0)).get("stdout");
        if (out != null) {
          firstOutput.complete((String) out);
        }
      }
      return 0;
    }

    @Remote
    public void complete(@Nullable Object failure) {
      completed.complete(failure);
    }
  }

  @TempDir Path dir;

  @Test
  void attachesQuicklyAndSigtermKillsTheCommandAndExitsZero() throws Exception {
    CompletableFuture<RemoteReference> mind = new CompletableFuture<>();
    Realm realm = new Realm() {
      @Override
      public CompletionStage<LoginResult<?>> requestAvatar(AvatarId id, @Nullable Object m, Class<?>... interfaces) {
        mind.complete((RemoteReference) m);
        return CompletableFuture.completedFuture(new LoginResult<>(Avatar.class, new Connection(), () -> {}));
      }
    };
    Portal portal = Portal.builder().realm(realm)
        .checker(new InMemoryUsernamePasswordDatabaseDontUse().addUser("jw", "right")).build();
    try (PbServer master = PbServer.builder().host("127.0.0.1").port(0).portal(portal).build().start()) {
      Path jar = Path.of(System.getProperty("basedir", "."), "target", "pb.jar");
      assertThat(jar).exists();
      Files.writeString(dir.resolve("pw"), "right\n");
      long start = System.nanoTime();
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          jar.toString(), "buildbot-worker", "--master", "127.0.0.1:" + master.port(), "--name", "jw",
          "--basedir", dir.resolve("w").toString(), "--password-file", dir.resolve("pw").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
      try {
        RemoteReference bot = mind.get(30, TimeUnit.SECONDS);
        long attachMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(attachMillis).as("JVM start to login, ms").isLessThan(10_000);
        Map<?, ?> builders = (Map<?, ?>) bot.callRemote("setBuilderList", List.of(Tuple.of("b", "b")))
            .get(10, TimeUnit.SECONDS);
        RemoteReference builder = (RemoteReference) builders.get("b");
        RemoteCommand cmd = new RemoteCommand();
        builder.callRemote("startCommand", cmd, "1", "shell",
            Map.of("workdir", "build", "command", "echo started; exec sleep 41")).get(10, TimeUnit.SECONDS);
        assertThat(cmd.firstOutput.get(20, TimeUnit.SECONDS)).isEqualTo("started\n");
        assertThat(sleepers()).hasSize(1);
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(sleepers()).as("the command's process group is gone").isEmpty();
        assertThat(cmd.completed).as("a stopped worker sends no result, as Python's").isNotDone();
        assertThat(Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8))
            .contains("pb buildbot-worker: stopped");
      } finally {
        p.destroyForcibly();
      }
    }
  }

  private static List<ProcessHandle> sleepers() {
    return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").endsWith("sleep 41")).toList();
  }
}
