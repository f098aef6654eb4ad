package io.github.pb4j.userstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JdbcUserStore} on an embedded SQLite file, the default database. */
class SqliteJdbcUserStoreTest extends AbstractJdbcUserStoreTest {
  @TempDir Path directory;

  @Override
  JdbcUserStore.Builder database() {
    return JdbcUserStore.sqliteBuilder(file());
  }

  @Override
  Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file());
  }

  @Test
  void createsTheFileReadableByItsOwnerOnly() throws IOException {
    JdbcUserStore store = open(false);
    join(store.addUser("alice", bytes("secret")));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
        .isEqualTo("rw-------");
  }

  @Test
  void theSqliteFactoryUsesDefaults() {
    try (JdbcUserStore store = JdbcUserStore.sqlite(directory.resolve("defaults.db"))) {
      assertThat(store.storesMd5Verifiers()).isFalse();
      assertThat(store.hasUsers())
          .succeedsWithin(java.time.Duration.ofSeconds(10))
          .isEqualTo(false);
    }
  }

  private Path file() {
    return directory.resolve("users.db");
  }
}
