package io.github.pb4j.benchmarks;

import io.github.pb4j.Remote;
import io.github.pb4j.Root;
import org.jspecify.annotations.Nullable;

/**
 * The root object the load tool and the {@code callRemote} benchmark call: returns what it is
 * given. Twin of Twisted's {@code pbecho.py} echoer.
 *
 * <p><em>Immutable.</em>
 */
public final class EchoRoot implements Root {
  /** Returns {@code value} unchanged; the broker jellies it back to the caller. */
  @Remote
  public @Nullable Object echo(@Nullable Object value) {
    return value;
  }
}
