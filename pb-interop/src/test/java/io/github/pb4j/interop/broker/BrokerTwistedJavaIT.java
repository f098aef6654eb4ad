package io.github.pb4j.interop.broker;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.interop.JavaScenarioServer;
import io.github.pb4j.interop.PythonScenarioClient;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;

/** The Broker suite with a Twisted client ({@code broker_client.py}) against the Java server. */
class BrokerTwistedJavaIT extends AbstractBrokerConformanceIT {
  @Override
  protected ScenarioServer startServer() throws Exception {
    return new JavaScenarioServer(BrokerRoot::new, BrokerOptions.DEFAULT);
  }

  @Override
  protected ScenarioClient startClient() throws Exception {
    return new PythonScenarioClient("broker_client.py");
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
