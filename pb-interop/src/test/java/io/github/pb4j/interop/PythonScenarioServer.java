package io.github.pb4j.interop;

import static org.assertj.core.api.Assertions.fail;

import io.github.pb4j.testing.TwistedPeer;
import java.time.Duration;
import java.util.List;

/** A Twisted server script serving a suite's scenarios; its {@code EVENT} lines are events. */
public final class PythonScenarioServer implements ScenarioServer {
  private final TwistedPeer peer;

  public PythonScenarioServer(String script, String... args) throws InterruptedException {
    this.peer = TwistedPeer.startServer(script, args);
  }

  @Override
  public int port() {
    return peer.port();
  }

  @Override
  public List<String> events() {
    return peer.stdout().snapshot().stream()
        .filter(l -> l.startsWith("EVENT "))
        .map(l -> l.substring("EVENT ".length()))
        .toList();
  }

  @Override
  public void awaitEvent(String event, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!events().contains(event)) {
      if (System.nanoTime() > deadline) {
        fail("server event %s did not happen within %s; events: %s", event, timeout, events());
      }
      peer.awaitLine(l -> l.startsWith("EVENT "), Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
  }

  @Override
  public void close() throws Exception {
    peer.close();
  }
}
