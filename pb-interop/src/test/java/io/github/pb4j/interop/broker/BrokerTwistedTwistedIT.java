package io.github.pb4j.interop.broker;

import io.github.pb4j.interop.PythonScenarioClient;
import io.github.pb4j.interop.PythonScenarioServer;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;

/**
 * The Broker suite with a Twisted client against a Twisted server ({@code broker_client.py} and
 * {@code broker_server.py}): the oracle, proving that every expectation is what Twisted does.
 */
class BrokerTwistedTwistedIT extends AbstractBrokerConformanceIT {
  @Override
  protected ScenarioServer startServer() throws Exception {
    return new PythonScenarioServer("broker_server.py");
  }

  @Override
  protected ScenarioClient startClient() throws Exception {
    return new PythonScenarioClient("broker_client.py");
  }

  @Override
  protected String expectedOrdinaryException() {
    return TWISTED_EXCEPTION;
  }

  @Override
  protected String expectedWrongArity() {
    return TWISTED_WRONG_ARITY;
  }

  @Override
  protected String expectedMissingArgument() {
    return TWISTED_MISSING_ARGUMENT;
  }

  @Override
  protected String expectedGivenBack() {
    return "None";
  }
}
