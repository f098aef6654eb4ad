package io.github.pb4j.interop;

/**
 * The calling side of a conformance suite: runs a named scenario against a server port and
 * returns its canonical result text, which the suite compares with what Twisted itself gives.
 */
public interface ScenarioClient extends AutoCloseable {
  /** Runs {@code scenario} against 127.0.0.1:{@code port} and returns its result text. */
  String run(String scenario, int port) throws Exception;

  @Override
  void close() throws Exception;
}
