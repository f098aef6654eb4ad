package io.github.pb4j;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference a client receives for its avatar after login: calls go to the avatar's {@link
 * Remote} methods with the avatar as perspective, and the realm's logout runs exactly once, when
 * the client releases the reference or the connection is lost. Java form of Twisted's {@code
 * pb._JellyableAvatarMixin} wrapper; a new adapter (a new luid) per login, as in Twisted.
 *
 * <p><em>Thread-safe.</em>
 */
final class PerspectiveAdapter implements Referenceable, ExportTable.ReleaseListener {
  private static final Logger logger = LoggerFactory.getLogger(PerspectiveAdapter.class);

  private final Object avatar;
  private final Runnable logout;
  private final AtomicBoolean loggedOut = new AtomicBoolean();

  PerspectiveAdapter(Object avatar, Runnable logout) {
    this.avatar = Objects.requireNonNull(avatar, "avatar");
    this.logout = Objects.requireNonNull(logout, "logout");
  }

  Object avatar() {
    return avatar;
  }

  /** Runs the logout unless it already ran. */
  void logout() {
    if (loggedOut.compareAndSet(false, true)) {
      try {
        logout.run();
      } catch (Throwable t) {
        if (Failures.isFatal(t)) {
          throw t;
        }
        logger.warn("logout of {} threw", avatar.getClass().getSimpleName(), t);
      }
    }
  }

  boolean isLoggedOut() {
    return loggedOut.get();
  }

  @Override
  public void released() {
    logout();
  }
}
