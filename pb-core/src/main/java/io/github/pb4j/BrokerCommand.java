package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.internal.Vocabulary;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The commands of PB messages (the {@code proto_*} methods of {@code twisted.spread.pb.Broker})
 * with their field counts.
 */
enum BrokerCommand {
  VERSION("version", 2),
  MESSAGE("message", 7),
  CACHEMESSAGE("cachemessage", 7),
  ANSWER("answer", 3),
  ERROR("error", 3),
  DECREF("decref", 2),
  DECACHE("decache", 2),
  UNCACHE("uncache", 2),
  DID_NOT_UNDERSTAND("didNotUnderstand", 2);

  private static final Map<ByteString, BrokerCommand> BY_WIRE = new HashMap<>();

  static {
    for (BrokerCommand c : values()) {
      BY_WIRE.put(c.wire, c);
    }
  }

  final ByteString wire;
  final int size;

  BrokerCommand(String wire, int size) {
    // The vocabulary's own instance where the word is one, so that readers match it by identity.
    ByteString w = ByteString.ascii(wire);
    ByteString word = Vocabulary.word(Vocabulary.numberOf(w));
    this.wire = word != null ? word : w;
    this.size = size;
  }

  static @Nullable BrokerCommand fromWire(ByteString wire) {
    return BY_WIRE.get(wire);
  }
}
