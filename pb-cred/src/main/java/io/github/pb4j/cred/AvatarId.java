package io.github.pb4j.cred;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who a client proved to be: what a {@link CredentialsChecker} yields and a {@link Realm} turns
 * into an avatar. Java form of the avatar id of Twisted's cred (a username in bytes, or {@code
 * checkers.ANONYMOUS}).
 *
 * <p>A user's id wraps a non-empty username. {@link #ANONYMOUS} is a distinct sentinel, never
 * {@code null} and never equal to any user's id: as Twisted's {@code checkers.py} explains, an
 * empty name (say from a stray {@code ":secret"} line in a password file) must not grant anonymous
 * access, so empty usernames are rejected.
 *
 * <p><em>Immutable.</em> Value equality.
 */
public final class AvatarId {
  /** The id of an anonymous client; mirrors {@code twisted.cred.checkers.ANONYMOUS}. */
  public static final AvatarId ANONYMOUS = new AvatarId();

  private final @Nullable String username;

  /**
   * Creates the id of the user named {@code username}.
   *
   * @throws IllegalArgumentException if {@code username} is empty
   */
  public AvatarId(String username) {
    Objects.requireNonNull(username, "username");
    if (username.isEmpty()) {
      throw new IllegalArgumentException("username: empty (expected: at least one character)");
    }
    this.username = username;
  }

  private AvatarId() {
    this.username = null;
  }

  /** Returns the id of the user named {@code username}; same as the constructor. */
  public static AvatarId of(String username) {
    return new AvatarId(username);
  }

  /** Returns whether this is {@link #ANONYMOUS}. */
  public boolean isAnonymous() {
    return username == null;
  }

  /**
   * Returns the username.
   *
   * @throws IllegalStateException if this is {@link #ANONYMOUS}, which has no username (check
   *     {@link #isAnonymous()} first)
   */
  public String username() {
    if (username == null) {
      throw new IllegalStateException("the anonymous avatar id has no username");
    }
    return username;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof AvatarId that && Objects.equals(username, that.username);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(username);
  }

  @Override
  public String toString() {
    return username == null ? "AvatarId[ANONYMOUS]" : "AvatarId[" + username + "]";
  }
}
