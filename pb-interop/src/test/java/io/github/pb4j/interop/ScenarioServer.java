package io.github.pb4j.interop;

import java.time.Duration;
import java.util.List;

/** The serving side of a conformance suite: a pb4j {@code PbServer} or a Twisted server script. */
public interface ScenarioServer extends AutoCloseable {
  /** Returns the port the server listens on (127.0.0.1). */
  int port();

  /** Returns the server-side events so far (logouts, stoppedObserving, ...), oldest first. */
  List<String> events();

  /** Waits until {@code event} has happened, failing the test after {@code timeout}. */
  void awaitEvent(String event, Duration timeout) throws InterruptedException;

  @Override
  void close() throws Exception;
}
