package io.github.pb4j.interop.cred;

import io.github.pb4j.interop.PythonScenarioClient;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Twisted's client ({@code cred_client.py}) against pb4j's server, users in SQLite. */
class TwistedClientJavaServerSqliteCredIT extends AbstractCredConformanceIT {
  @TempDir Path directory;

  @Override
  ScenarioClient newClient() throws Exception {
    return new PythonScenarioClient("cred_client.py");
  }

  @Override
  ScenarioServer newServer(CheckerSet checkers) throws Exception {
    return JavaCredServer.startOnSqlite(directory, checkers);
  }
}
