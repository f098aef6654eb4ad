package io.github.pb4j.netty;

import static io.github.pb4j.testing.Futures.await;
import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.testing.TwistedPeer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PbSession} against the seed's Twisted chat server, which is restarted mid-session. */
@Timeout(90)
class PbSessionTwistedTest {
  private static final String CHAT_SERVER = "../pb-examples/src/test/python/chatserver.py";

  /** The seed's client mind: {@code remote_print}. */
  public static final class Mind implements Referenceable {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    @Remote
    public void print(String message) {
      lines.add(message);
    }
  }

  @Test
  void theSessionLogsInAgainWhenTheTwistedServerRestarts() throws Exception {
    Mind mind = new Mind();
    PbSessionTest.Recorder recorder = new PbSessionTest.Recorder();
    TwistedPeer first = TwistedPeer.startServer(CHAT_SERVER);
    int port = first.port();
    TwistedPeer second = null;
    try (PbSession session =
        PbSession.builder()
            .host("127.0.0.1")
            .port(port)
            .login(UsernamePassword.of("alice", "1234"), mind)
            .initialDelay(Duration.ofMillis(50))
            .maxDelay(Duration.ofMillis(500))
            .listener(recorder)
            .build()
            .start()) {
      await(session.attached());
      sayInGroup(session, "before the restart");
      assertThat(mind.lines.poll(10, TimeUnit.SECONDS)).isEqualTo("<alice> says: before the restart");

      first.close();
      assertThat(recorder.next()).isEqualTo("attached");
      assertThat(recorder.next()).isEqualTo("detached ConnectionLostException");
      assertThat(failureOf(session.callRemote("joinGroup", "#pb4j")))
          .isInstanceOf(NotAttachedException.class);

      second = TwistedPeer.startServer(CHAT_SERVER, "--port", Integer.toString(port));
      assertThat(recorder.next()).isEqualTo("attached");
      // A new server knows nothing of the old groups: the program joins again.
      sayInGroup(session, "after the restart");
      assertThat(mind.lines.poll(10, TimeUnit.SECONDS)).isEqualTo("<alice> says: after the restart");
      assertThat(recorder.lifecycle())
          .containsExactly("attached", "detached ConnectionLostException", "attached");
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  private static void sayInGroup(PbSession session, String text) throws Exception {
    RemoteReference group = (RemoteReference) await(session.callRemote("joinGroup", "#pb4j"));
    await(group.callRemote("send", text));
  }
}
