package io.github.pb4j;

import org.jspecify.annotations.Nullable;

/**
 * An object passed by value, whose state the sender chooses per receiving perspective. Java form
 * of Twisted's {@code pb.Copyable}. For plain records, registering the record in the {@link
 * io.github.pb4j.jelly.JellyRegistry} is enough; implement this interface to choose the state.
 *
 * <p>Sent as {@code [typeName, state]}; the receiver builds its own type from its registry.
 */
public interface Copyable {
  /** Returns the type name on the wire, e.g. {@code "mymodule.Point"}. */
  String copyTypeName();

  /**
   * Returns the state to send, for the given perspective ({@code null} when not sent on behalf of
   * an avatar). Mirrors {@code getStateToCopyFor(perspective)}.
   */
  @Nullable Object stateToCopyFor(@Nullable Object perspective);
}
