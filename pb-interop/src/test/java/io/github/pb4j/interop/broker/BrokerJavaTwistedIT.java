package io.github.pb4j.interop.broker;

import io.github.pb4j.interop.PythonScenarioServer;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;

/** The Broker suite with a Java client against the Twisted server ({@code broker_server.py}). */
class BrokerJavaTwistedIT extends AbstractBrokerConformanceIT {
  @Override
  protected ScenarioServer startServer() throws Exception {
    return new PythonScenarioServer("broker_server.py");
  }

  @Override
  protected ScenarioClient startClient() throws Exception {
    return BrokerJavaClient.create();
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

  /**
   * The Twisted server's decref arrives before its answer; pb4j refuses the answer's {@code
   * [b'local', luid]} for the object it has just forgotten, and closes the connection (a Twisted
   * client gets None instead).
   */
  @Override
  protected String expectedGivenBack() {
    // Twisted decrefs the proxy before its answer names the object: like a Twisted client, the
    // answer reads None.
    return "None";
  }
}
