package io.github.pb4j.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets log levels from {@code -v}: none keeps {@code logback.xml}'s (pb4j WARN, the chat server's
 * events INFO), {@code -v} shows pb4j's DEBUG lines (connections, logins, expected errors), {@code
 * -vv} TRACE (every frame). <em>Thread-safe.</em>
 */
final class Logging {
  private static volatile int verbosity;

  private Logging() {}

  static void setVerbosity(int level) {
    verbosity = level;
    if (level <= 0) {
      return;
    }
    Level pb4j = level == 1 ? Level.DEBUG : Level.TRACE;
    if (LoggerFactory.getLogger("io.github.pb4j") instanceof Logger logger) {
      logger.setLevel(pb4j);
    }
    if (LoggerFactory.getLogger("io.github.pb4j.examples.chat") instanceof Logger logger) {
      logger.setLevel(pb4j);
    }
  }

  /** Forgets an earlier {@code -v} (levels stay): each run of {@code pb} in a JVM starts quiet. */
  static void resetVerbosity() {
    verbosity = 0;
  }

  static int verbosity() {
    return verbosity;
  }
}
