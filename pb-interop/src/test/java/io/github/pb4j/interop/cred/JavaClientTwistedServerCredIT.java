package io.github.pb4j.interop.cred;

import io.github.pb4j.interop.PythonScenarioServer;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;

/** pb4j's client ({@code PbLogin}) against Twisted's server ({@code cred_server.py}). */
class JavaClientTwistedServerCredIT extends AbstractCredConformanceIT {
  @Override
  ScenarioClient newClient() {
    return JavaCredClient.create();
  }

  @Override
  ScenarioServer newServer(CheckerSet checkers) throws Exception {
    return new PythonScenarioServer("cred_server.py", checkers.names().toArray(String[]::new));
  }
}
