package io.github.pb4j.buildbot.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one of a shell command's {@code logfiles} (Python's {@code LogFileWatcher}): polls every
 * two seconds; once the file differs from what was there when the command started, sends what
 * it holds (from its start, or only what is new with {@code follow}) as {@code log} updates, and
 * a last time when the command ends. <em>Thread-safe.</em>
 */
final class LogFileWatcher {
  private static final Logger logger = LoggerFactory.getLogger(LogFileWatcher.class);
  private static final long POLL_MS = 2000;

  private final java.util.function.BiConsumer<String, String> sink;
  private final String name;
  private final Path file;
  private final boolean follow;
  private @Nullable List<Object> oldStats;
  private @Nullable RandomAccessFile in;
  private final Utf8Stream decoder = new Utf8Stream();
  private @Nullable ScheduledFuture<?> poller;
  private boolean stopped;

  /** @param sink receives (name, text) of what the file gains */
  LogFileWatcher(java.util.function.BiConsumer<String, String> sink, String name, Path file, boolean follow) {
    this.sink = sink;
    this.name = name;
    this.file = file;
    this.follow = follow;
    this.oldStats = stats();
  }

  private @Nullable List<Object> stats() {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      Object ctime = Files.getAttribute(file, "unix:ctime");
      return List.of(String.valueOf(ctime), a.lastModifiedTime().toString(), a.size());
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }

  synchronized void start() {
    poller = RunProcessTimers.shared().scheduleWithFixedDelay(this::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
  }

  /** Reads what is left, then stops: a poll already queued behind this one does nothing. */
  synchronized void stop() {
    poll();
    stopped = true;
    if (poller != null) {
      poller.cancel(false);
    }
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // Nothing to do.
      }
      in = null;
    }
  }

  synchronized void poll() {
    if (stopped) {
      return;
    }
    try {
      if (in == null) {
        List<Object> s = stats();
        if (java.util.Objects.equals(s, oldStats)) {
          return;
        }
        if (s == null) {
          oldStats = null;
          return;
        }
        in = new RandomAccessFile(file.toFile(), "r");
        if (follow) {
          in.seek((long) s.get(2));
        }
      }
      byte[] buf = new byte[10000];
      int n;
      while ((n = in.read(buf)) > 0) {
        String text = decoder.decode(buf, n);
        if (!text.isEmpty()) {
          sink.accept(name, text);
        }
      }
    } catch (IOException e) {
      logger.debug("log file {}: {}", file, e.toString());
    }
  }
}
