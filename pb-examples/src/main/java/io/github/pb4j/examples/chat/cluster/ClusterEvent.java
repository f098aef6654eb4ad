package io.github.pb4j.examples.chat.cluster;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * What one NOTIFY on {@link ClusterSchema#CHANNEL} says. Fields are separated by line feeds, which
 * none of them can hold (group names and lines are neutral by {@code ChatText}'s rule, usernames
 * have no control characters):
 *
 * <pre>
 * m \n key \n group \n line      a message, inline
 * M \n id                        a message too long for a payload: row id in pb4j_chat_messages
 * j \n group \n username         username joined group
 * l \n group \n username         username left group
 * </pre>
 *
 * <p>Events of one transaction arrive together and transactions arrive in commit order, the same
 * order on every server: each server sees membership changes and messages interleaved as they
 * happened in the database.
 */
record ClusterEvent(char kind, String a, String b, String c) {
  /** A payload longer than this many UTF-8 bytes goes through pb4j_chat_messages instead. */
  static final int MAX_INLINE = 7000;

  static ClusterEvent message(String key, String group, String line) {
    return new ClusterEvent('m', key, group, line);
  }

  static ClusterEvent join(String group, String username) {
    return new ClusterEvent('j', group, username, "");
  }

  static ClusterEvent leave(String group, String username) {
    return new ClusterEvent('l', group, username, "");
  }

  /** Returns the NOTIFY payload. */
  String payload() {
    return switch (kind) {
      case 'm' -> "m\n" + a + "\n" + b + "\n" + c;
      case 'M' -> "M\n" + a;
      default -> kind + "\n" + a + "\n" + b;
    };
  }

  /** Returns whether the payload fits a NOTIFY. */
  boolean fitsInline() {
    return payload().getBytes(StandardCharsets.UTF_8).length <= MAX_INLINE;
  }

  /** Reads a payload; returns null if it is not one of ours. */
  static @Nullable ClusterEvent parse(String payload) {
    String[] f = payload.split("\n", 4);
    if (f[0].length() != 1) {
      return null;
    }
    char kind = f[0].charAt(0);
    return switch (kind) {
      case 'm' -> f.length == 4 ? new ClusterEvent(kind, f[1], f[2], f[3]) : null;
      case 'M' -> f.length == 2 ? new ClusterEvent(kind, f[1], "", "") : null;
      case 'j', 'l' -> f.length == 3 ? new ClusterEvent(kind, f[1], f[2], "") : null;
      default -> null;
    };
  }
}
