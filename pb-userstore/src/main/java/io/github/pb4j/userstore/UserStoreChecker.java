package io.github.pb4j.userstore;

import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.CredentialsChecker;
import io.github.pb4j.cred.LoginDeniedException;
import io.github.pb4j.cred.LoginFailedException;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.cred.UnhandledCredentialsException;
import io.github.pb4j.cred.UsernameMd5Password;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.cred.internal.Stages;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checker of a {@link JdbcUserStore}; see {@link JdbcUserStore#checker()}.
 *
 * <p>Timing: an unknown user (or an invalid name) runs the same Argon2 work as a wrong password,
 * against a dummy hash with the store's cost, and an MD5 check against a dummy verifier. Nothing
 * about the secrets is logged. <em>Thread-safe.</em>
 */
final class UserStoreChecker implements CredentialsChecker {
  private static final Logger logger = LoggerFactory.getLogger(UserStoreChecker.class);

  private final JdbcUserStore store;
  private final UserTable table;
  private final Argon2Hasher hasher;
  private final boolean md5Enabled;
  private final Set<Class<? extends Credentials>> interfaces;
  private volatile @Nullable String dummyHash;

  UserStoreChecker(JdbcUserStore store, UserTable table, Argon2Hasher hasher, boolean md5Enabled) {
    this.store = store;
    this.table = table;
    this.hasher = hasher;
    this.md5Enabled = md5Enabled;
    this.interfaces =
        md5Enabled
            ? Collections.unmodifiableSet(
                new LinkedHashSet<>(List.of(UsernamePassword.class, UsernameMd5Password.class)))
            : Set.of(UsernamePassword.class);
  }

  /** Returns {@code [UsernamePassword]}, plus {@code UsernameMd5Password} with MD5 verifiers. */
  @Override
  public Set<Class<? extends Credentials>> credentialInterfaces() {
    return interfaces;
  }

  @Override
  public CompletableFuture<AvatarId> requestAvatarId(Credentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    // A plaintext password wins over an MD5 response, as in the other password checkers.
    CompletableFuture<AvatarId> result;
    if (credentials instanceof UsernamePassword password) {
      result = store.submit("check password", () -> checkPassword(password));
    } else if (md5Enabled && credentials instanceof UsernameMd5Password md5) {
      result = store.submit("check MD5 response", () -> checkMd5(md5));
    } else {
      return CompletableFuture.failedFuture(
          new UnhandledCredentialsException(
              "credentials: "
                  + credentials.getClass().getName()
                  + " (expected: one of "
                  + interfaces.stream().map(Class::getSimpleName).collect(Collectors.joining(", "))
                  + ")"));
    }
    return result.exceptionallyCompose(UserStoreChecker::toLoginFailure);
  }

  private AvatarId checkPassword(UsernamePassword credentials) throws SQLException {
    String username = credentials.username();
    byte[] password = credentials.password();
    try {
      Optional<UserTable.Row> row = find(username);
      if (row.isEmpty()) {
        hasher.verify(password, dummyHash());
        logger.debug("login failed: no user {}", username);
        throw new UnauthorizedLoginException();
      }
      String hash = row.get().passwordHash();
      if (!verify(username, password, hash)) {
        logger.debug("login failed: wrong password for {}", username);
        throw new UnauthorizedLoginException();
      }
      upgrade(row.get(), password);
      return AvatarId.of(row.get().username());
    } finally {
      Secrets.wipe(password);
    }
  }

  private AvatarId checkMd5(UsernameMd5Password credentials) throws SQLException {
    String username = credentials.username();
    Optional<UserTable.Row> row = find(username);
    byte[] verifier = row.map(UserStoreChecker::parseVerifier).orElse(null);
    if (verifier == null) {
      // Same work as a real check, against a verifier nobody's password has.
      credentials.checkMd5Password(new byte[16]);
      logger.debug("login failed: no MD5 verifier for {}", username);
      throw new UnauthorizedLoginException();
    }
    try {
      if (!credentials.checkMd5Password(verifier)) {
        logger.debug("login failed: wrong MD5 response for {}", username);
        throw new UnauthorizedLoginException();
      }
    } finally {
      Secrets.wipe(verifier);
    }
    return AvatarId.of(row.get().username());
  }

  private Optional<UserTable.Row> find(String username) throws SQLException {
    return JdbcUserStore.isValidUsername(username) ? table.find(username) : Optional.empty();
  }

  private boolean verify(String username, byte[] password, String hash) {
    try {
      return hasher.verify(password, hash);
    } catch (IllegalArgumentException e) {
      logger.warn("stored password hash of {} is malformed; refusing login", username);
      return false;
    }
  }

  /**
   * Rehashes a hash made with old parameters, and adds a missing MD5 verifier. A failure to write
   * does not fail the login that proved the password.
   */
  private void upgrade(UserTable.Row row, byte[] password) {
    boolean rehash = hasher.needsRehash(row.passwordHash());
    boolean addVerifier = md5Enabled && row.md5Verifier() == null;
    if (!rehash && !addVerifier) {
      return;
    }
    String hash = rehash ? hasher.hash(password) : row.passwordHash();
    String verifier = addVerifier ? store.md5Verifier(password) : row.md5Verifier();
    try {
      if (table.compareAndUpdate(row.username(), row.passwordHash(), hash, verifier)) {
        logger.debug(
            "upgraded stored secrets of {} (rehashed: {}, MD5 verifier added: {})",
            row.username(),
            rehash,
            addVerifier);
      }
    } catch (SQLException e) {
      logger.warn("cannot upgrade stored secrets of {}; keeping the old ones", row.username(), e);
    }
  }

  private static byte @Nullable [] parseVerifier(UserTable.Row row) {
    String hex = row.md5Verifier();
    if (hex == null) {
      return null;
    }
    try {
      byte[] verifier = HexFormat.of().parseHex(hex.strip());
      if (verifier.length == 16) {
        return verifier;
      }
    } catch (IllegalArgumentException e) {
      // Reported below without the value.
    }
    logger.warn("stored MD5 verifier of {} is malformed; refusing PB login", row.username());
    return null;
  }

  private String dummyHash() {
    String hash = dummyHash;
    if (hash == null) {
      // Racing threads may each compute one; any of them will do.
      hash = hasher.hash(new byte[] {'d', 'u', 'm', 'm', 'y'});
      dummyHash = hash;
    }
    return hash;
  }

  /** Keeps login failures; reports a store that is down or overloaded as a login failure. */
  private static CompletableFuture<AvatarId> toLoginFailure(Throwable failure) {
    Throwable cause = Stages.unwrap(failure);
    if (cause instanceof LoginFailedException) {
      return CompletableFuture.failedFuture(cause);
    } else if (cause instanceof RejectedExecutionException) {
      return CompletableFuture.failedFuture(
          new LoginDeniedException("server busy, try again later"));
    } else if (cause instanceof IllegalStateException) {
      return CompletableFuture.failedFuture(new LoginDeniedException("user store closed"));
    }
    // As Twisted's FilePasswordDB does with an unreadable file: log here, refuse the login.
    logger.warn("user store failed during login", cause);
    return CompletableFuture.failedFuture(new UnauthorizedLoginException("", cause));
  }

  @Override
  public String toString() {
    return "JdbcUserStore.checker[" + interfaces.size() + " interfaces]";
  }
}
