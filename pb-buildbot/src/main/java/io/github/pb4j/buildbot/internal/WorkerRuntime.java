package io.github.pb4j.buildbot.internal;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * What the worker's parts share: its base directory and environment, the umask, and the threads
 * (commands run on their own threads; one sender thread makes every call that carries command
 * output, which keeps it in order; one timer thread). <em>Thread-safe.</em>
 */
public final class WorkerRuntime implements AutoCloseable {
  private final String basedir;
  private final Map<String, String> environment;
  private final @Nullable Integer umask;
  private final boolean deleteLeftoverDirs;
  private final int numcpus;
  private final Runnable shutdownRequested;
  final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(daemon("bb-timer"));
  final ExecutorService sender = Executors.newSingleThreadExecutor(daemon("bb-sender"));
  final ExecutorService commands = Executors.newCachedThreadPool(daemon("bb-command"));

  /**
   * @param shutdownRequested what the master's {@code shutdown} does: stop the worker
   */
  public WorkerRuntime(String basedir, Map<String, String> environment, @Nullable Integer umask,
      boolean deleteLeftoverDirs, int numcpus, Runnable shutdownRequested) {
    this.basedir = basedir;
    this.environment = Map.copyOf(environment);
    this.umask = umask;
    this.deleteLeftoverDirs = deleteLeftoverDirs;
    this.numcpus = numcpus;
    this.shutdownRequested = shutdownRequested;
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  public String basedir() {
    return basedir;
  }

  public Map<String, String> environment() {
    return environment;
  }

  public @Nullable Integer umask() {
    return umask;
  }

  public boolean deleteLeftoverDirs() {
    return deleteLeftoverDirs;
  }

  public int numcpus() {
    return numcpus;
  }

  public ScheduledExecutorService timers() {
    return timers;
  }

  void requestShutdown() {
    shutdownRequested.run();
  }

  /** Waits until the sender thread has made every call queued so far (bounded). */
  public void drainSender(long millis) {
    try {
      sender.submit(() -> {}).get(millis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // Best effort.
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
    sender.shutdown();
    commands.shutdownNow();
  }
}
