package io.github.pb4j.buildbot.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The timer thread for log file polling: daemon, shared. */
final class RunProcessTimers {
  private static final ScheduledExecutorService SHARED = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bb-logfile-poll");
    t.setDaemon(true);
    return t;
  });

  private RunProcessTimers() {}

  static ScheduledExecutorService shared() {
    return SHARED;
  }
}
