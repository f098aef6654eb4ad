package io.github.pb4j.cred;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Password credentials of a kind a checker supports, and how to check them against what the checker
 * stores: the one place that tells {@link UsernamePassword}, {@link UsernameHashedPassword} and
 * {@link UsernameMd5Password} apart. Every check compares in constant time (the credentials' own
 * {@code check*} methods do).
 *
 * <p>When credentials implement several supported interfaces (PB's {@link Md5ChallengeCredentials}
 * is both hashed and MD5), the first of {@code UsernamePassword}, {@code UsernameHashedPassword},
 * {@code UsernameMd5Password} wins.
 *
 * <p><em>Immutable.</em>
 */
final class PasswordCredentials {
  /** The kinds of password credentials, in order of preference. */
  enum Kind {
    /** {@link UsernamePassword}: the plaintext password. */
    PASSWORD(UsernamePassword.class),
    /** {@link UsernameHashedPassword}: checkable against the plaintext password. */
    HASHED_PASSWORD(UsernameHashedPassword.class),
    /** {@link UsernameMd5Password}: checkable against the MD5 of the password. */
    MD5_PASSWORD(UsernameMd5Password.class);

    final Class<? extends Credentials> type;

    Kind(Class<? extends Credentials> type) {
      this.type = type;
    }
  }

  private final Credentials credentials;
  private final Kind kind;
  private final String username;

  private PasswordCredentials(Credentials credentials, Kind kind, String username) {
    this.credentials = credentials;
    this.kind = kind;
    this.username = username;
  }

  /**
   * Returns {@code credentials} as the first kind in {@code supported} they implement, or null
   * if they implement none.
   */
  static @Nullable PasswordCredentials of(
      Credentials credentials, Set<Class<? extends Credentials>> supported) {
    for (Kind kind : Kind.values()) {
      if (supported.contains(kind.type) && kind.type.isInstance(credentials)) {
        return new PasswordCredentials(credentials, kind, usernameOf(credentials, kind));
      }
    }
    return null;
  }

  /** Returns a stage failed with {@link UnhandledCredentialsException} naming {@code supported}. */
  static <T> CompletableFuture<T> unhandled(
      Credentials credentials, Set<Class<? extends Credentials>> supported) {
    return CompletableFuture.failedFuture(
        new UnhandledCredentialsException(
            "credentials: "
                + credentials.getClass().getName()
                + " (expected: one of "
                + CredentialInterfaces.names(supported)
                + ")"));
  }

  private static String usernameOf(Credentials credentials, Kind kind) {
    return switch (kind) {
      case PASSWORD -> ((UsernamePassword) credentials).username();
      case HASHED_PASSWORD -> ((UsernameHashedPassword) credentials).username();
      case MD5_PASSWORD -> ((UsernameMd5Password) credentials).username();
    };
  }

  Kind kind() {
    return kind;
  }

  String username() {
    return username;
  }

  /** Returns the plaintext credentials; only for {@link Kind#PASSWORD}. */
  UsernamePassword password() {
    if (kind != Kind.PASSWORD) {
      throw new IllegalStateException("not a plaintext password: " + kind);
    }
    return (UsernamePassword) credentials;
  }

  /**
   * Returns whether the credentials prove {@code storedPassword}, a plaintext password. Every kind
   * can be checked so.
   */
  boolean matchesPlaintext(byte[] storedPassword) {
    return switch (kind) {
      case PASSWORD -> ((UsernamePassword) credentials).checkPassword(storedPassword);
      case HASHED_PASSWORD -> ((UsernameHashedPassword) credentials).checkPassword(storedPassword);
      case MD5_PASSWORD -> {
        byte[] md5 = Md5ChallengeCredentials.md5(storedPassword);
        try {
          yield matchesMd5(md5);
        } finally {
          Secrets.wipe(md5);
        }
      }
    };
  }

  /**
   * Returns whether the credentials prove the password whose MD5 digest is {@code md5OfPassword};
   * only for {@link Kind#MD5_PASSWORD}.
   */
  boolean matchesMd5(byte[] md5OfPassword) {
    if (kind != Kind.MD5_PASSWORD) {
      throw new IllegalStateException("not an MD5 password: " + kind);
    }
    return ((UsernameMd5Password) credentials).checkMd5Password(md5OfPassword);
  }
}
