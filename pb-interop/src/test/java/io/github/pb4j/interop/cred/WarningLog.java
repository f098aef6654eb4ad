package io.github.pb4j.interop.cred;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records what pb4j logs at WARN or ERROR while a Java scenario server runs, as {@code error
 * <logger>: <message>} events: the Java counterpart of the {@code error <type>} events that {@code
 * cred_server.py} reports for every error Twisted logs.
 *
 * <p><em>Thread-safe.</em>
 */
final class WarningLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Logger pb4j = (Logger) LoggerFactory.getLogger("io.github.pb4j");
  private final List<String> events = new ArrayList<>(); // Guarded by this.

  private WarningLog() {}

  /** Returns a log that records from now until closed. */
  static WarningLog record() {
    WarningLog log = new WarningLog();
    log.setContext(log.pb4j.getLoggerContext());
    log.start();
    log.pb4j.addAppender(log);
    return log;
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      events.add("error " + event.getLoggerName() + ": " + event.getFormattedMessage());
    }
  }

  /** Returns the events so far, oldest first. */
  synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** Stops recording. */
  @Override
  public void close() {
    pb4j.detachAppender(this);
    stop();
  }
}
