package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Inputs fuzzing found ({@link BrokerFuzzTest}, docs/fuzzing.md), as plain tests. */
@Timeout(30)
class BrokerFindingsTest {
  @Test
  void aRefusedVocabularyWordInAMessageStillArrivingClosesAtOnce() {
    // A call whose method name is word 11274289163, in two reads: the broker waits for the rest
    // of a message larger than one read, but must not wait for bytes it is bound to refuse. The
    // Banana tree path closes at once; so must the one-pass path.
    for (boolean onePass : new boolean[] {true, false}) {
      try (ScriptedPeer peer = ScriptedPeer.againstServer(new BrokerFuzzTest.Root())) {
        if (!onePass) {
          peer.run(() -> BrokerTestAccess.disableOnePassReading(peer.broker()));
        }
        peer.handshakeAsClient();
        peer.send("07801a870181");
        assertThat(peer.isClosed()).as("after the first read").isFalse();
        peer.send("0482726f6f74" + "0180" + "0b0000002a87");

        assertThat(peer.isClosed()).as("one pass: %s", onePass).isTrue();
      }
    }
  }

  @Test
  void anEmptyListAsAMessageClosesAtOnce() {
    for (boolean onePass : new boolean[] {true, false}) {
      try (ScriptedPeer peer = ScriptedPeer.againstServer(new BrokerFuzzTest.Root())) {
        if (!onePass) {
          peer.run(() -> BrokerTestAccess.disableOnePassReading(peer.broker()));
        }
        peer.handshakeAsClient();
        peer.send("0080");

        assertThat(peer.isClosed()).as("one pass: %s", onePass).isTrue();
      }
    }
  }

  @Test
  void aKeywordNamedByBytesThatAreNotUtf8IsAnsweredNotThrown() {
    try (ScriptedPeer peer = ScriptedPeer.againstServer(new BrokerFuzzTest.Root())) {
      peer.handshakeAsClient();
      // echo() with the keyword argument b'\xa3'=235
      peer.send("07801a8701810482726f6f7404826563686f018101800b87" + "02800587" + "02800182a36b0181");

      assertThat(peer.receivedExpressions()).last().asString().startsWith("[b'error', 1");
    }
  }
}
