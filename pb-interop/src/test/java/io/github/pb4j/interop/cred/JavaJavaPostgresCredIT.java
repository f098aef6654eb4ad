package io.github.pb4j.interop.cred;

import io.github.pb4j.userstore.PostgresServer;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * pb4j's client against pb4j's server, users in a PostgreSQL {@code JdbcUserStore} (a throwaway
 * cluster that {@link PostgresServer} starts, or {@code PB4J_POSTGRES_URL}).
 */
@ExtendWith(PostgresServer.class)
class JavaJavaPostgresCredIT extends AbstractCredConformanceIT {
  private PostgresServer.Database database;

  @BeforeAll
  @Timeout(value = 150, unit = TimeUnit.SECONDS) // The first use starts the cluster.
  void useDatabase(PostgresServer.Database database) {
    this.database = database;
  }

  @Override
  ScenarioClient newClient() {
    return JavaCredClient.create();
  }

  @Override
  ScenarioServer newServer(CheckerSet checkers) throws Exception {
    return JavaCredServer.startOnPostgres(database, checkers);
  }
}
