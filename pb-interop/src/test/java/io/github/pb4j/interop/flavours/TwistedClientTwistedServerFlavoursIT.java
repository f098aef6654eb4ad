package io.github.pb4j.interop.flavours;

import io.github.pb4j.interop.PythonScenarioClient;
import io.github.pb4j.interop.PythonScenarioServer;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;

/** Flavours conformance: Twisted against Twisted, the oracle that checks the expected results. */
class TwistedClientTwistedServerFlavoursIT extends AbstractFlavoursConformanceIT {
  @Override
  protected ScenarioServer startRootServer() throws InterruptedException {
    return new PythonScenarioServer("flavours_server.py", "root");
  }

  @Override
  protected ScenarioServer startLoginServer() throws InterruptedException {
    return new PythonScenarioServer("flavours_server.py", "login");
  }

  @Override
  protected ScenarioClient startClient() throws InterruptedException {
    return new PythonScenarioClient("flavours_client.py");
  }
}
