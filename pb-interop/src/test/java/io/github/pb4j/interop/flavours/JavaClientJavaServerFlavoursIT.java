package io.github.pb4j.interop.flavours;

import io.github.pb4j.interop.JavaScenarioServer;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;

/** Flavours conformance: pb4j client against a pb4j server, over TCP. */
class JavaClientJavaServerFlavoursIT extends AbstractFlavoursConformanceIT {
  @Override
  protected ScenarioServer startRootServer() {
    return new JavaScenarioServer(FlavoursRoot::new, FlavourTypes.serverOptions());
  }

  @Override
  protected ScenarioServer startLoginServer() {
    return new JavaScenarioServer(FlavoursRealm::root, FlavourTypes.serverOptions());
  }

  @Override
  protected ScenarioClient startClient() {
    return FlavoursScenarios.client();
  }
}
