package io.github.pb4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference a client receives for its avatar after login: calls go to the avatar's {@link
 * Remote} methods with the avatar as perspective, and the realm's logout runs exactly once, when
 * the client releases the reference or the connection is lost. Java form of Twisted's {@code
 * pb._JellyableAvatarMixin} wrapper; a new adapter (a new luid) per login, as in Twisted.
 *
 * <p>It is also its connection's disconnect callback (its {@link #run}), removed when the logout
 * runs first: one object per login lives as long as the login.
 *
 * <p><em>Thread-safe.</em>
 */
final class PerspectiveAdapter implements Referenceable, ExportTable.ReleaseListener, Runnable {
  private static final Logger logger = LoggerFactory.getLogger(PerspectiveAdapter.class);
  private static final VarHandle LOGGED_OUT;

  static {
    try {
      LOGGED_OUT = MethodHandles.lookup().findVarHandle(PerspectiveAdapter.class, "loggedOut", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Object avatar;
  private final Runnable logout;
  /** The connection whose end logs out; null for an adapter not tied to one. */
  private final @Nullable Broker broker;
  @SuppressWarnings("unused") // through LOGGED_OUT
  private volatile boolean loggedOut;

  PerspectiveAdapter(Object avatar, Runnable logout) {
    this(avatar, logout, null);
  }

  /**
   * An adapter whose logout also stops watching {@code broker}'s end; the caller registers it with
   * {@link Broker#notifyOnDisconnect}.
   */
  PerspectiveAdapter(Object avatar, Runnable logout, @Nullable Broker broker) {
    this.avatar = Objects.requireNonNull(avatar, "avatar");
    this.logout = Objects.requireNonNull(logout, "logout");
    this.broker = broker;
  }

  /** The connection ended: logs out. */
  @Override
  public void run() {
    logout();
  }

  Object avatar() {
    return avatar;
  }

  /** Runs the logout unless it already ran. */
  void logout() {
    if (LOGGED_OUT.compareAndSet(this, false, true)) {
      try {
        if (broker != null) {
          broker.dontNotifyOnDisconnect(this);
        }
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
    return loggedOut;
  }

  @Override
  public void released() {
    logout();
  }
}
