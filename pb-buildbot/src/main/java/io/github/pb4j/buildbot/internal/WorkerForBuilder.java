package io.github.pb4j.buildbot.internal;

import io.github.pb4j.CopyableFailure;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.jelly.PythonRepr;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One builder on this worker (Python's {@code WorkerForBuilder}): the master starts builds and
 * commands through it. At most one command runs at a time. <em>Thread-safe.</em>
 */
public final class WorkerForBuilder implements Referenceable {
  private static final Logger logger = LoggerFactory.getLogger(WorkerForBuilder.class);

  private final String name;
  private final WorkerRuntime runtime;
  private volatile String builddir = "";
  private volatile String basedir = "";
  private volatile boolean running = true;
  private @Nullable Running current; // Guarded by this.

  /** A command and the channel its output goes through. */
  private record Running(WorkerCommand command, CommandChannel channel, CompletableFuture<@Nullable Void> done) {}

  WorkerForBuilder(String name, WorkerRuntime runtime) {
    this.name = name;
    this.runtime = runtime;
  }

  String name() {
    return name;
  }

  String builddir() {
    return builddir;
  }

  /** Sets the builder's directory (relative to the worker's) and creates it. */
  void setBuilddir(String dir) throws java.io.IOException {
    builddir = dir;
    basedir = Py.join(runtime.basedir(), dir);
    java.nio.file.Path path = java.nio.file.Path.of(basedir);
    if (!java.nio.file.Files.isDirectory(path)) {
      Modes.createDirectories(path, runtime.umask());
    }
  }

  @Remote
  public void setMaster(@Nullable Object remote) {
    // The master's builder reference; nothing here needs it.
  }

  @Remote
  public void print(@Nullable Object message) {
    logger.info("WorkerForBuilder.remote_print({}): message from master: {}", name, Py.text(message));
  }

  /** Called before the first step of each build; nothing to do. */
  @Remote
  public void startBuild() {}

  @Remote
  @SuppressWarnings("unchecked")
  public synchronized @Nullable Object startCommand(
      RemoteReference commandRef, @Nullable Object stepId, @Nullable Object command, @Nullable Object args) {
    String id = Py.text(stepId);
    String commandName = Py.text(command);
    Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
    if (args instanceof Map<?, ?> m) {
      ((Map<Object, @Nullable Object>) m).forEach((k, v) -> {
        Object value = v instanceof RemoteReference ? v : Py.decode(v);
        arguments.put(Py.text(k), value);
      });
    }
    if (current != null) {
      logger.info("leftover command, dropping it");
      stopCommand();
    }
    CommandChannel channel = new CommandChannel(commandRef, runtime.sender, runtime.timers);
    CommandContext ctx = new CommandContext(channel, runtime.basedir(), runtime.environment(), runtime.umask(), runtime.timers);
    WorkerCommand cmd = Commands.create(commandName, basedir, ctx, arguments);
    logger.info(" startCommand:{} [id {}]", commandName, id);
    Running run = new Running(cmd, channel, new CompletableFuture<>());
    current = run;
    Consumer<RemoteReference> lost = r -> lostRemoteStep(run);
    commandRef.notifyOnDisconnect(lost);
    cmd.running = true;
    runtime.commands.execute(() -> {
      long start = System.nanoTime();
      Throwable failure = null;
      try {
        cmd.start();
      } catch (Throwable t) {
        failure = t;
      }
      cmd.sendStatus("elapsed", (System.nanoTime() - start) / 1e9);
      cmd.running = false;
      synchronized (this) {
        if (current == run) {
          current = null;
        }
      }
      commandRef.dontNotifyOnDisconnect(lost);
      if (failure != null) {
        logger.info("command {} failed: {}", commandName, failure.toString());
        channel.complete(failure instanceof RunProcess.AbandonChain a
            ? CopyableFailure.of("buildbot_worker.exceptions.AbandonChain",
                "(" + a.rc + ", " + PythonRepr.of(a.getMessage()) + ")")
            : CopyableFailure.withTraceback(failure));
      } else {
        channel.complete(null);
      }
      run.done.complete(null);
    });
    return null;
  }

  private void lostRemoteStep(Running run) {
    logger.info("lost remote step");
    run.channel.silence();
    synchronized (this) {
      if (current == run) {
        stopCommand();
      }
    }
  }

  @Remote
  public synchronized void interruptCommand(@Nullable Object stepId, @Nullable Object why) {
    logger.info("asked to interrupt current command: {}", Py.text(why));
    if (current == null) {
      logger.info(" .. but none was running");
      return;
    }
    current.command.doInterrupt();
  }

  /** The old way for a master to stop the worker. */
  @Remote
  public void shutdown() {
    logger.info("worker shutting down on command from master");
    runtime.requestShutdown();
  }

  /** Kills the running command, if any, and forgets it: no more output reaches the master. */
  synchronized void stopCommand() {
    if (current == null) {
      return;
    }
    logger.info("stopCommand: halting current command {}", current.command.getClass().getSimpleName());
    current.channel.silence();
    current.command.doInterrupt();
    current = null;
  }

  /** The builder is gone from the master's list (or the worker stops). */
  void stop() {
    running = false;
    stopCommand();
  }

  /**
   * Interrupts the running command and waits up to {@code millis} for it to end, with its output
   * up to that point sent but no result (as a worker that goes away). Returns false on timeout.
   */
  boolean interruptAndWait(long millis) {
    Running run;
    synchronized (this) {
      run = current;
      if (run == null) {
        return true;
      }
      run.channel.silence();
      run.command.doInterrupt();
    }
    try {
      run.done.get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  boolean isRunning() {
    return running;
  }

  @Override
  public String toString() {
    return "WorkerForBuilder[" + name + "]";
  }
}
