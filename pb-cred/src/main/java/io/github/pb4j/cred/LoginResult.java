package io.github.pb4j.cred;

import java.util.Objects;

/**
 * A successful login: the avatar, the type under which the realm hands it out, and how to end the
 * session. Java form of the {@code (interface, avatar, logout)} tuple of Twisted's {@code
 * IRealm.requestAvatar} and {@code Portal.login}.
 *
 * <p>Whoever receives a result must run {@link #logout()} exactly once when the session ends (the
 * broker does so when the client releases the avatar or disconnects).
 *
 * <p><em>Immutable</em> (the avatar itself may not be).
 *
 * @param type one of the types the login asked for
 * @param avatar the avatar, an instance of {@code type}
 * @param logout detaches the client from the avatar
 * @param <T> the avatar's type
 */
public record LoginResult<T>(Class<T> type, T avatar, Runnable logout) {
  public LoginResult {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(avatar, "avatar");
    Objects.requireNonNull(logout, "logout");
    if (!type.isInstance(avatar)) {
      throw new IllegalArgumentException(
          "avatar: "
              + avatar.getClass().getName()
              + " (expected: instance of "
              + type.getName()
              + ")");
    }
  }

  /** Returns a result whose logout does nothing, as Twisted's {@code lambda: None}. */
  public static <T> LoginResult<T> of(Class<T> type, T avatar) {
    return new LoginResult<>(type, avatar, () -> {});
  }
}
