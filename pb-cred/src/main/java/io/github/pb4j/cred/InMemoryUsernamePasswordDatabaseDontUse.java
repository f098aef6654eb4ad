package io.github.pb4j.cred;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A toy checker over plaintext passwords in memory, for examples and tests only. Java form of
 * Twisted's {@code twisted.cred.checkers.InMemoryUsernamePasswordDatabaseDontUse}, whose name says
 * it all: use pb-userstore's {@code JdbcUserStore} (or {@link FilePasswordDb}) for real users.
 *
 * <pre>{@code
 * var checker = new InMemoryUsernamePasswordDatabaseDontUse()
 *     .addUser("user1", "pass1")
 *     .addUser("user2", "pass2");
 * }</pre>
 *
 * <p>Checks {@link UsernamePassword}, {@link UsernameHashedPassword} and {@link
 * UsernameMd5Password} (Twisted's class has no MD5 support, but PB's challenge credentials offer
 * both, so the result is the same). It answers at once, on the calling thread: it never blocks.
 *
 * <p><em>Thread-safe.</em>
 */
public final class InMemoryUsernamePasswordDatabaseDontUse implements CredentialsChecker {
  private static final Set<Class<? extends Credentials>> INTERFACES =
      CredentialInterfaces.of(
          UsernamePassword.class, UsernameHashedPassword.class, UsernameMd5Password.class);

  private static final byte[] DECOY = "not anybody's password".getBytes(StandardCharsets.UTF_8);

  private final Map<String, byte[]> users = new ConcurrentHashMap<>();

  /** Creates an empty database. */
  public InMemoryUsernamePasswordDatabaseDontUse() {}

  /** Sets the password of {@code username}, encoded as UTF-8. Returns this database. */
  public InMemoryUsernamePasswordDatabaseDontUse addUser(String username, String password) {
    Objects.requireNonNull(password, "password");
    return addUser(username, password.getBytes(StandardCharsets.UTF_8));
  }

  /** Sets the password of {@code username} to a copy of {@code password}. Returns this database. */
  public InMemoryUsernamePasswordDatabaseDontUse addUser(String username, byte[] password) {
    Objects.requireNonNull(username, "username");
    if (username.isEmpty()) {
      throw new IllegalArgumentException("username: empty (expected: at least one character)");
    }
    users.put(username, Objects.requireNonNull(password, "password").clone());
    return this;
  }

  /** Returns {@code [UsernamePassword, UsernameHashedPassword, UsernameMd5Password]}. */
  @Override
  public Set<Class<? extends Credentials>> credentialInterfaces() {
    return INTERFACES;
  }

  /**
   * Returns a completed stage of the user's id when the credentials match the stored password, or a
   * stage failed with {@link UnauthorizedLoginException}.
   */
  @Override
  public CompletableFuture<AvatarId> requestAvatarId(Credentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    PasswordCredentials c = PasswordCredentials.of(credentials, INTERFACES);
    if (c == null) {
      return PasswordCredentials.unhandled(credentials, INTERFACES);
    }
    byte[] password = users.get(c.username());
    // An unknown user gets the same comparison, against a password nobody has, so that response
    // times do not tell which users exist.
    boolean matched = c.matchesPlaintext(password == null ? DECOY : password);
    if (password == null || !matched) {
      return CompletableFuture.failedFuture(new UnauthorizedLoginException());
    }
    return CompletableFuture.completedFuture(AvatarId.of(c.username()));
  }

  @Override
  public String toString() {
    return "InMemoryUsernamePasswordDatabaseDontUse[" + users.size() + " users]";
  }
}
