package io.github.pb4j.interop.broker;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.interop.JavaScenarioServer;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;

/** The Broker suite with a Java client and Java server (pb4j on both sides). */
class BrokerJavaJavaIT extends AbstractBrokerConformanceIT {
  @Override
  protected ScenarioServer startServer() throws Exception {
    return new JavaScenarioServer(BrokerRoot::new, BrokerOptions.DEFAULT);
  }

  @Override
  protected ScenarioClient startClient() throws Exception {
    return BrokerJavaClient.create();
  }

  @Override
  protected String expectedOrdinaryException() {
    return JAVA_EXCEPTION;
  }

  @Override
  protected String expectedWrongArity() {
    return JAVA_WRONG_ARITY;
  }

  @Override
  protected String expectedMissingArgument() {
    return JAVA_MISSING_ARGUMENT;
  }

  @Override
  protected String expectedGivenBack() {
    return "own object";
  }
}
