package io.github.pb4j.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The {@code pb} command's logging, on stderr: levels from {@code -v} or {@code --log-level}, text
 * or JSON lines from {@code --log-format}. Without options {@code logback.xml}'s levels hold (pb4j
 * WARN, the chat server's events INFO); {@code -v} is {@code --log-level debug} (connections,
 * logins, expected errors), {@code -vv} {@code trace} (every frame, login secrets hidden).
 *
 * <p>Lines about a connection carry its id, the peer's address and, after a login, the avatar id
 * (the MDC keys of {@link io.github.pb4j.LogContext}): in text as {@code conn=}, {@code peer=},
 * {@code avatar=}; in JSON in the {@code mdc} object. <em>Thread-safe.</em>
 */
final class Logging {
  /** The levels {@code --log-level} takes. */
  enum LogLevel {
    ERROR(Level.ERROR),
    WARN(Level.WARN),
    INFO(Level.INFO),
    DEBUG(Level.DEBUG),
    TRACE(Level.TRACE);

    final Level level;

    LogLevel(Level level) {
      this.level = level;
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The formats {@code --log-format} takes. */
  enum LogFormat {
    TEXT,
    JSON;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The appender of {@code logback.xml} that writes to stderr. */
  static final String APPENDER = "STDERR";

  private static volatile int verbosity;
  private static @Nullable Encoder<ILoggingEvent> textEncoder; // Guarded by Logging.class.

  private Logging() {}

  static void setVerbosity(int level) {
    verbosity = level;
    if (level <= 0) {
      return;
    }
    setLevel(level == 1 ? Level.DEBUG : Level.TRACE);
  }

  /** Sets the level of pb4j's loggers and of the chat server's events. */
  static void setLevel(LogLevel level) {
    setLevel(level.level);
    if (level == LogLevel.DEBUG || level == LogLevel.TRACE) {
      verbosity = Math.max(verbosity, level == LogLevel.DEBUG ? 1 : 2);
    }
  }

  private static void setLevel(Level level) {
    if (LoggerFactory.getLogger("io.github.pb4j") instanceof Logger logger) {
      logger.setLevel(level);
    }
    if (LoggerFactory.getLogger("io.github.pb4j.examples.chat") instanceof Logger logger) {
      logger.setLevel(level);
    }
  }

  /** Writes log lines as text (the pattern of {@code logback.xml}) or as JSON lines. */
  static synchronized void setFormat(LogFormat format) {
    OutputStreamAppender<ILoggingEvent> appender = stderrAppender();
    if (appender == null) {
      return;
    }
    if (textEncoder == null) {
      textEncoder = appender.getEncoder();
    }
    Encoder<ILoggingEvent> encoder =
        format == LogFormat.JSON ? jsonEncoder(appender) : textEncoder;
    if (appender.getEncoder() == encoder) {
      return;
    }
    // Swapped in place: stopping the appender would close its stream.
    appender.setEncoder(encoder);
  }

  /**
   * A JSON object per line: {@code timestamp} (ms), {@code level}, {@code threadName}, {@code
   * loggerName}, {@code mdc}, {@code formattedMessage}, {@code throwable}. The message template and
   * its arguments are left out: the formatted message says it once.
   */
  static JsonEncoder jsonEncoder(Appender<ILoggingEvent> appender) {
    JsonEncoder json = new JsonEncoder();
    json.setContext(appender.getContext());
    json.setWithSequenceNumber(false);
    json.setWithNanoseconds(false);
    json.setWithContext(false);
    json.setWithMessage(false);
    json.setWithArguments(false);
    json.setWithFormattedMessage(true);
    json.start();
    return json;
  }

  @SuppressWarnings("unchecked")
  private static @Nullable OutputStreamAppender<ILoggingEvent> stderrAppender() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return null;
    }
    Appender<ILoggingEvent> appender =
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender(APPENDER);
    return appender instanceof OutputStreamAppender<?> o
        ? (OutputStreamAppender<ILoggingEvent>) o
        : null;
  }

  /** Forgets an earlier {@code -v} (levels and format stay): each run of {@code pb} in a JVM starts quiet. */
  static void resetVerbosity() {
    verbosity = 0;
  }

  static int verbosity() {
    return verbosity;
  }
}
