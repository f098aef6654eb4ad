package io.github.pb4j.cli;

import io.github.pb4j.userstore.JdbcUserStore;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where the chat users are: {@code --db FILE} (SQLite, default {@code ./pb4j-users.db}) or {@code
 * --db-url JDBC_URL} (e.g. PostgreSQL) with {@code --db-user} and the password in {@code
 * PB_DB_PASSWORD}.
 *
 * <p>The store keeps an MD5 verifier per user besides the Argon2id hash, because Twisted's PB login
 * challenge can only be checked against {@code MD5(password)}; that verifier is password-equivalent
 * for PB logins, so protect the database like a password file. With {@code --no-md5} no verifier is
 * stored or used: only pb4j clients over TLS can log in with a password (checked against the
 * Argon2id hash), and Twisted's challenge login is refused.
 */
final class UserStoreOptions {
  static final Path DEFAULT_DB = Path.of("pb4j-users.db");

  @Option(
      names = "--db",
      paramLabel = "FILE",
      description = "SQLite file of users (default: ./pb4j-users.db, created if missing).")
  @Nullable Path db;

  @Option(
      names = "--db-url",
      paramLabel = "JDBC_URL",
      description =
          "Use this database instead, e.g. jdbc:postgresql://localhost/chat; "
              + "its password is read from PB_DB_PASSWORD.")
  @Nullable String url;

  @Option(names = "--db-user", paramLabel = "USER", description = "Database user for --db-url.")
  @Nullable String user;

  @Option(
      names = "--no-md5",
      description =
          "Store and use no MD5 verifiers: passwords are checked against their Argon2id hash only, "
              + "so only pb4j clients over TLS can log in with one; Twisted's challenge login is "
              + "refused.")
  boolean noMd5;

  /** Opens the store; the caller closes it. */
  JdbcUserStore open(Terminal terminal) {
    if (db != null && url != null) {
      throw new CliException(PbCli.USAGE, "--db and --db-url: both given (expected: one of them)");
    }
    JdbcUserStore.Builder builder;
    if (url != null) {
      try {
        builder =
            JdbcUserStore.builder(url)
                .credentials(user, terminal.env("PB_DB_PASSWORD").orElse(null));
      } catch (IllegalArgumentException e) {
        throw new CliException(PbCli.USAGE, "--db-url: " + e.getMessage());
      }
    } else {
      builder = JdbcUserStore.sqliteBuilder(db != null ? db : DEFAULT_DB);
    }
    return builder.storeMd5Verifier(!noMd5).build();
  }

  /** Names the store for messages, without any password. */
  String describe() {
    if (url != null) {
      int query = url.indexOf('?');
      return query < 0 ? url : url.substring(0, query);
    }
    return (db != null ? db : DEFAULT_DB).toString();
  }
}
