package io.github.pb4j.interop.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.CopyableFailure;
import io.github.pb4j.RemoteFailureException;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.interop.PythonScenarioServer;
import io.github.pb4j.netty.PbClient;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
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

  /**
   * A failure sent as a value is, to Twisted, a {@code Failure} (a {@code CopiedFailure}) with the
   * type, text and parents pb4j gave it; one received from Twisted is passed back as it came.
   */
  @Test
  void aFailureSentAsAValueIsAFailureInTwisted() throws Exception {
    PythonScenarioServer twisted = new PythonScenarioServer("broker_server.py");
    try (PbClient client = PbClient.builder().host("127.0.0.1").port(twisted.port()).build()) {
      RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);

      assertThat(root.callRemote("describeFailure", CopyableFailure.of(new IllegalArgumentException("bad size")))
          .get(10, TimeUnit.SECONDS))
          .isEqualTo("CopiedFailure java.lang.IllegalArgumentException: bad size; check builtins.ValueError: True");
      assertThat(root.callRemote("describeFailure", CopyableFailure.of("myapp.Timeout", "took 30 s"))
          .get(10, TimeUnit.SECONDS))
          .isEqualTo("CopiedFailure myapp.Timeout: took 30 s; check builtins.ValueError: False");

      RemoteFailureException received;
      try {
        root.callRemote("fail").get(10, TimeUnit.SECONDS);
        throw new AssertionError("fail() answered");
      } catch (ExecutionException e) {
        received = (RemoteFailureException) e.getCause();
      }
      assertThat(root.callRemote("describeFailure", received).get(10, TimeUnit.SECONDS))
          .isEqualTo("CopiedFailure builtins.ValueError: boom; check builtins.ValueError: True");
    } finally {
      twisted.close();
    }
  }
}
