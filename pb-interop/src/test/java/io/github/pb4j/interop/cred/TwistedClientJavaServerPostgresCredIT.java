package io.github.pb4j.interop.cred;

import io.github.pb4j.userstore.PostgresServer;
import io.github.pb4j.interop.PythonScenarioClient;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Twisted's client ({@code cred_client.py}) against pb4j's server, users in PostgreSQL. */
@ExtendWith(PostgresServer.class)
class TwistedClientJavaServerPostgresCredIT extends AbstractCredConformanceIT {
  private PostgresServer.Database database;

  @BeforeAll
  @Timeout(value = 150, unit = TimeUnit.SECONDS) // The first use starts the cluster.
  void useDatabase(PostgresServer.Database database) {
    this.database = database;
  }

  @Override
  ScenarioClient newClient() throws Exception {
    return new PythonScenarioClient("cred_client.py");
  }

  @Override
  ScenarioServer newServer(CheckerSet checkers) throws Exception {
    return JavaCredServer.startOnPostgres(database, checkers);
  }
}
