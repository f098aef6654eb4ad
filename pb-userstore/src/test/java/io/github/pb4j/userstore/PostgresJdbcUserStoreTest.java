package io.github.pb4j.userstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link JdbcUserStore} on a real PostgreSQL server: a throwaway cluster that {@link
 * PostgresServer} starts, or the server named by {@code PB4J_POSTGRES_URL}.
 */
@ExtendWith(PostgresServer.class)
class PostgresJdbcUserStoreTest extends AbstractJdbcUserStoreTest {
  private PostgresServer.Database database;

  @BeforeEach
  @Timeout(150) // The first call starts the cluster; its own steps are bounded too.
  void useServer(PostgresServer.Database database) {
    this.database = database;
  }

  @Override
  JdbcUserStore.Builder database() {
    return JdbcUserStore.builder(database.url()).credentials(database.user(), database.password());
  }

  @Override
  Connection connect() throws SQLException {
    return connect(database);
  }

  @Test
  void theOpenFactoryConnects() {
    try (JdbcUserStore store =
        JdbcUserStore.open(database.url(), database.user(), database.password())) {
      assertThat(store.hasUsers()).succeedsWithin(Duration.ofSeconds(10));
    }
  }
}
