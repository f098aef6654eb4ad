package io.github.pb4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** The peer harness itself: READY handshake, line exchange, shutdown, and a missing Twisted. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TwistedPeerTest {
  @TempDir Path dir;

  private Path script(String name, String body) throws IOException {
    Path path = dir.resolve(name);
    Files.writeString(path, body);
    return path;
  }

  @Test
  void missingTwistedFailsWithTheInstallCommand() {
    assertThatThrownBy(() -> TwistedPeer.requireTwisted("/nonexistent/python3", false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("apt-get install -y python3-twisted")
        .hasMessageContaining("/nonexistent/python3");
  }

  @Test
  void missingTwistedIsSkippedOnlyWhenOptedOut() {
    assertThatThrownBy(() -> TwistedPeer.requireTwisted("/nonexistent/python3", true))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("apt-get install -y python3-twisted");
  }

  @Test
  void exchangesLinesAndStopsWhenStdinCloses() throws IOException {
    Path echo = script("echo_peer.py", String.join("\n",
        "import sys",
        "print('READY 4242', flush=True)",
        "for line in sys.stdin:",
        "    print('got ' + line.strip(), flush=True)",
        "    print('note', file=sys.stderr, flush=True)",
        ""));
    TwistedPeer peer = TwistedPeer.startAndAwaitReady(echo.toString(), List.of());
    try (peer) {
      assertThat(peer.readyLine()).isEqualTo("READY 4242");
      assertThat(peer.port()).isEqualTo(4242);
      peer.send("hello");
      assertThat(peer.receive(Duration.ofSeconds(10))).isEqualTo("got hello");
    }
    assertThat(peer.isAlive()).isFalse();
  }

  @Test
  void peerThatNeverGetsReadyIsKilled() throws IOException {
    Path silent = script("silent_peer.py", "import time\ntime.sleep(60)\n");
    assertThatThrownBy(() -> TwistedPeer.startAndAwaitReady(silent.toString(), List.of(), Duration.ofMillis(500)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("printed no READY line within");
  }

  @Test
  void peerThatExitsEarlyIsReported() throws IOException {
    Path failing = script("failing_peer.py", "import sys\nsys.exit(3)\n");
    assertThatThrownBy(() -> TwistedPeer.startAndAwaitReady(failing.toString(), List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with status 3");
  }

  @Test
  void missingScriptIsAnArgumentError() {
    assertThatThrownBy(() -> TwistedPeer.start(dir.resolve("none.py").toString(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
