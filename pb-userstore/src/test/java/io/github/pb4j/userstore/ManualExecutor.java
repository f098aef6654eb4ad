package io.github.pb4j.userstore;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** An executor that runs tasks only when the test says so; Twisted's manual reactor in spirit. */
final class ManualExecutor implements Executor {
  private final Queue<Runnable> tasks = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
  }

  /** Runs queued tasks, including those they queue, until none is left; returns how many ran. */
  int runAll() {
    int ran = 0;
    for (Runnable task = poll(); task != null; task = poll()) {
      task.run();
      ran++;
    }
    return ran;
  }

  synchronized int pending() {
    return tasks.size();
  }

  private synchronized Runnable poll() {
    return tasks.poll();
  }
}
