package io.github.pb4j.buildbot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.Avatar;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteFailureException;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker against a stand-in master made of pb4j parts, for what a real master cannot easily
 * show: the umask, the exact failures a command sends, and what happens when the master goes away
 * mid-command.
 */
@Timeout(60)
class StandInMasterTest {
  /** The master's avatar for the worker. */
  public static final class Connection implements Avatar {
    @Remote
    public void keepalive() {}
  }

  /** The master's RemoteCommand: collects updates and the completion. */
  public static final class RemoteCommand implements Referenceable {
    final StringBuilder stdout = new StringBuilder();
    final List<Object> rcs = new ArrayList<>();
    final CompletableFuture<@Nullable Object> completed = new CompletableFuture<>();

    @Remote
    public synchronized int update(List<?> updates) {
      for (Object u : updates) {
        Map<?, ?> m = (Map<?, ?>) ((List<?>) u).get(0);
        if (m.containsKey("stdout")) {
          stdout.append(m.get("stdout"));
        }
        if (m.containsKey("rc")) {
          rcs.add(m.get("rc"));
        }
      }
      return 0;
    }

    @Remote
    public void complete(@Nullable Object failure) {
      completed.complete(failure);
    }

    synchronized String stdout() {
      return stdout.toString();
    }
  }

  @TempDir Path dir;
  private final CompletableFuture<RemoteReference> mind = new CompletableFuture<>();
  private PbServer master;
  private BuildbotWorker worker;
  private RemoteReference builder;

  @BeforeEach
  void start() throws Exception {
    Realm realm = new Realm() {
      @Override
      public CompletionStage<LoginResult<?>> requestAvatar(AvatarId id, @Nullable Object m, Class<?>... interfaces) {
        mind.complete((RemoteReference) m);
        return CompletableFuture.completedFuture(new LoginResult<>(Avatar.class, new Connection(), () -> {}));
      }
    };
    Portal portal = Portal.builder().realm(realm)
        .checker(new InMemoryUsernamePasswordDatabaseDontUse().addUser("w", "pw")).build();
    master = PbServer.builder().host("127.0.0.1").port(0).portal(portal).build().start();
    worker = BuildbotWorker.builder().master("127.0.0.1", master.port()).name("w").password("pw".toCharArray())
        .basedir(dir.resolve("w")).umask(027).keepalive(Duration.ZERO).build();
    worker.start();
    RemoteReference bot = mind.get(30, TimeUnit.SECONDS);
    Map<?, ?> builders = (Map<?, ?>) bot.callRemote("setBuilderList", List.of(Tuple.of("b", "b")))
        .get(10, TimeUnit.SECONDS);
    builder = (RemoteReference) builders.get("b");
  }

  @AfterEach
  void stop() throws Exception {
    worker.stop(Duration.ofSeconds(2)).get(20, TimeUnit.SECONDS);
    master.close();
  }

  private RemoteCommand run(String command, Map<String, Object> args) throws Exception {
    RemoteCommand cmd = new RemoteCommand();
    builder.callRemote("startCommand", cmd, "1", command, new LinkedHashMap<>(args)).get(10, TimeUnit.SECONDS);
    cmd.completed.get(30, TimeUnit.SECONDS);
    return cmd;
  }

  @Test
  void theUmaskAppliesToCommandsAndToWhatTheWorkerCreates() throws Exception {
    RemoteCommand shell = run("shell", Map.of("workdir", "build", "command", "umask; touch f; stat -c %a f"));
    assertThat(shell.stdout()).isEqualTo("0027\n640\n");
    run("mkdir", Map.of("dir", "made/deep"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("w/b/made/deep"))))
        .isEqualTo("rwxr-x---");
  }

  @Test
  void anUnknownCommandFailsStartCommandAsThePythonWorkerDoes() throws Exception {
    RemoteCommand cmd = new RemoteCommand();
    try {
      builder.callRemote("startCommand", cmd, "1", "bogus", Map.of()).get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      RemoteFailureException f = (RemoteFailureException) e.getCause();
      assertThat(f.remoteType()).isEqualTo("buildbot_worker.base.UnknownCommand");
      assertThat(f.remoteValue()).isEqualTo("unrecognized WorkerCommand 'bogus'");
      assertThat(f.check("twisted.spread.pb.Error")).isTrue();
    }
  }

  @Test
  void aCommandThatFailsCompletesWithACopyableFailure() throws Exception {
    RemoteCommand cmd = run("shell", Map.of("workdir", "build", "command", "true", "env", Map.of("N", 3)));
    assertThat(cmd.completed.get()).isInstanceOf(RemoteFailureException.class);
    assertThat(((RemoteFailureException) cmd.completed.get()).remoteValue())
        .isEqualTo("'env' values must be strings or lists; key 'N' is incorrect");
  }

  @Test
  void whenTheMasterGoesAwayTheRunningCommandIsKilled() throws Exception {
    RemoteCommand cmd = new RemoteCommand();
    builder.callRemote("startCommand", cmd, "1", "shell",
        new LinkedHashMap<>(Map.of("workdir", "build", "command", "echo started; exec sleep 37"))).get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!cmd.stdout().contains("started") && System.nanoTime() < deadline) {
      Thread.sleep(20); // Output arrives by the linger timer.
    }
    assertThat(sleepers()).hasSize(1);
    master.close();
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!sleepers().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20); // The kill is asynchronous; nothing to wait on from here.
    }
    assertThat(sleepers()).isEmpty();
  }

  private static List<ProcessHandle> sleepers() {
    return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").endsWith("sleep 37")).toList();
  }
}
