package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One registered pass-by-copy type: a wire type name (Twisted's {@code module.Class}) bound to a
 * Java type and the two conversions between its instances and their state.
 *
 * <p>The state is what travels: for a Twisted class, usually its attribute dict, in Java a {@code
 * Map<String, Object>}. Made by {@link JellyRegistry.Builder}.
 *
 * <p><em>Immutable.</em>
 */
public final class CopyType<T> {
  private final ByteString wireName;
  private final Class<T> javaType;
  private final @Nullable Function<? super T, ?> stateOf;
  private final @Nullable Function<@Nullable Object, ? extends T> fromState;

  CopyType(
      String wireName,
      Class<T> javaType,
      @Nullable Function<? super T, ?> stateOf,
      @Nullable Function<@Nullable Object, ? extends T> fromState) {
    if (wireName.isEmpty()) {
      throw new IllegalArgumentException("wire name is empty");
    }
    this.wireName = ByteString.utf8(wireName);
    this.javaType = Objects.requireNonNull(javaType, "javaType");
    this.stateOf = stateOf;
    this.fromState = fromState;
  }

  /** Returns the type name on the wire. */
  public ByteString wireName() {
    return wireName;
  }

  /** Returns the Java type. */
  public Class<T> javaType() {
    return javaType;
  }

  /** Returns true if instances of the Java type can be sent. */
  public boolean canSend() {
    return stateOf != null;
  }

  /** Returns true if the type can be received. */
  public boolean canReceive() {
    return fromState != null;
  }

  /** Returns the state to send for {@code value}. */
  public @Nullable Object stateOf(Object value) {
    if (stateOf == null) {
      throw new JellyException("type " + javaType.getName() + " is registered for receiving only");
    }
    return stateOf.apply(javaType.cast(value));
  }

  /**
   * Builds the local value from received state.
   *
   * @throws JellyException if the state does not fit the type
   */
  public T fromState(@Nullable Object state) {
    if (fromState == null) {
      throw new InsecureJellyException(wireName.toStringUtf8(), "type " + wireName.toStringUtf8()
          + " is registered for sending only");
    }
    try {
      return fromState.apply(state);
    } catch (JellyException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new JellyException("state of " + wireName.toStringUtf8() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "CopyType[" + wireName.toStringUtf8() + " <-> " + javaType.getName() + "]";
  }
}
