package io.github.pb4j.userstore;

/**
 * A {@link JdbcUserStore} operation failed in the database: unreachable, refused, or a broken
 * schema. The cause is the {@link java.sql.SQLException}. Unchecked: failures travel through
 * futures.
 *
 * <p><em>Immutable.</em>
 */
public final class UserStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
