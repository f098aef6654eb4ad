package io.github.pb4j.interop.cred;

import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** pb4j's client against pb4j's server, users in a SQLite {@code JdbcUserStore}. */
class JavaJavaSqliteCredIT extends AbstractCredConformanceIT {
  @TempDir Path directory;

  @Override
  ScenarioClient newClient() {
    return JavaCredClient.create();
  }

  @Override
  ScenarioServer newServer(CheckerSet checkers) throws Exception {
    return JavaCredServer.startOnSqlite(directory, checkers);
  }
}
