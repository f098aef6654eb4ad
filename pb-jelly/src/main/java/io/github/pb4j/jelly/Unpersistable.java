package io.github.pb4j.jelly;

import java.util.Objects;

/**
 * Placeholder for a value the sender could not send: Twisted's {@code jelly.Unpersistable}, on
 * the wire {@code [b'unpersistable', reason]}.
 *
 * <p><em>Immutable.</em>
 *
 * @param reason the sender's reason, as text
 */
public record Unpersistable(String reason) {
  public Unpersistable {
    Objects.requireNonNull(reason, "reason");
  }
}
