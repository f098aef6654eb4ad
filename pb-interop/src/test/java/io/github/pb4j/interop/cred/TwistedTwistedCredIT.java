package io.github.pb4j.interop.cred;

import io.github.pb4j.interop.PythonScenarioClient;
import io.github.pb4j.interop.PythonScenarioServer;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;

/**
 * The oracle: Twisted's client against Twisted's server. It checks that the suite's expected
 * texts and events are what Twisted itself does.
 */
class TwistedTwistedCredIT extends AbstractCredConformanceIT {
  @Override
  ScenarioClient newClient() throws Exception {
    return new PythonScenarioClient("cred_client.py");
  }

  @Override
  ScenarioServer newServer(CheckerSet checkers) throws Exception {
    return new PythonScenarioServer("cred_server.py", checkers.names().toArray(String[]::new));
  }
}
