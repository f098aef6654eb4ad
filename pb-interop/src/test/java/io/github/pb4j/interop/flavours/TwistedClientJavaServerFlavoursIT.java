package io.github.pb4j.interop.flavours;

import io.github.pb4j.interop.JavaScenarioServer;
import io.github.pb4j.interop.PythonScenarioClient;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;

/** Flavours conformance: Twisted client ({@code flavours_client.py}) against a pb4j server. */
class TwistedClientJavaServerFlavoursIT extends AbstractFlavoursConformanceIT {
  @Override
  protected ScenarioServer startRootServer() {
    return new JavaScenarioServer(FlavoursRoot::new, FlavourTypes.serverOptions());
  }

  @Override
  protected ScenarioServer startLoginServer() {
    return new JavaScenarioServer(FlavoursRealm::root, FlavourTypes.serverOptions());
  }

  @Override
  protected ScenarioClient startClient() throws InterruptedException {
    return new PythonScenarioClient("flavours_client.py");
  }
}
