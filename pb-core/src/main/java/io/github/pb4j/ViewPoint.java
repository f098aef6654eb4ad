package io.github.pb4j;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Viewable} bound to the perspective it was sent for. Java form of Twisted's {@code
 * pb.ViewPoint}: exported as an ordinary reference; calls reach the viewable's methods with the
 * perspective injected first. Identity is the pair, so the same viewable sent to the same
 * perspective keeps one luid.
 *
 * <p><em>Immutable.</em>
 */
class ViewPoint {
  /** The avatar it was sent for, or null when sent outside any avatar's call (Twisted's {@code None}). */
  final @Nullable Object perspective;
  final Viewable viewable;

  ViewPoint(@Nullable Object perspective, Viewable viewable) {
    this.perspective = perspective;
    this.viewable = viewable;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ViewPoint v && v.perspective == perspective && v.viewable == viewable;
  }

  @Override
  public int hashCode() {
    return Objects.hash(System.identityHashCode(perspective), System.identityHashCode(viewable));
  }
}
