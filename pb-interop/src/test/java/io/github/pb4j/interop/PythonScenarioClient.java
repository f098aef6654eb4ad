package io.github.pb4j.interop;

import io.github.pb4j.testing.TwistedPeer;
import java.time.Duration;
import java.util.List;

/** A Twisted client script that runs scenarios on request ({@code RUN name port} → {@code RESULT name text}). */
public final class PythonScenarioClient implements ScenarioClient {
  private static final Duration SCENARIO_TIMEOUT = Duration.ofSeconds(20);

  private final TwistedPeer peer;

  public PythonScenarioClient(String script) throws InterruptedException {
    this(script, List.of());
  }

  /** Starts {@code script args...}, e.g. with TLS options. */
  public PythonScenarioClient(String script, List<String> args) throws InterruptedException {
    this.peer = TwistedPeer.startAndAwaitReady(script, args);
  }

  @Override
  public synchronized String run(String scenario, int port) throws Exception {
    peer.send("RUN " + scenario + " " + port);
    String prefix = "RESULT " + scenario + " ";
    String line = peer.awaitLine(l -> l.startsWith(prefix) || l.equals(prefix.trim()), SCENARIO_TIMEOUT);
    return line.length() > prefix.length() ? line.substring(prefix.length()) : "";
  }

  @Override
  public void close() throws Exception {
    peer.close();
  }
}
