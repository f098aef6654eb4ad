package io.github.pb4j.interop.flavours;

import io.github.pb4j.interop.PythonScenarioServer;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;

/** Flavours conformance: pb4j client against a Twisted server ({@code flavours_server.py}). */
class JavaClientTwistedServerFlavoursIT extends AbstractFlavoursConformanceIT {
  @Override
  protected ScenarioServer startRootServer() throws InterruptedException {
    return new PythonScenarioServer("flavours_server.py", "root");
  }

  @Override
  protected ScenarioServer startLoginServer() throws InterruptedException {
    return new PythonScenarioServer("flavours_server.py", "login");
  }

  @Override
  protected ScenarioClient startClient() {
    return FlavoursScenarios.client();
  }
}
