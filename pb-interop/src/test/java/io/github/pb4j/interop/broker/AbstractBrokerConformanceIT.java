package io.github.pb4j.interop.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conformance suite of the Broker (issue "Broker", item 7): calls, data types, references, errors,
 * reference counting and its limit, disconnection and dead references, call-backs. Each scenario
 * runs through a {@link ScenarioClient} (Java with {@code PbClient}, or {@code broker_client.py})
 * against a {@link ScenarioServer} ({@link BrokerRoot} on a {@code PbServer}, or {@code
 * broker_server.py}), and its canonical result text is compared with the expectation.
 *
 * <p>The subclasses run the four combinations; the Twisted-to-Twisted one is the oracle that proves
 * every expectation is what Twisted itself does. Where an expectation depends on the server's
 * language (exception type names, Python's messages), each subclass states it explicitly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class AbstractBrokerConformanceIT {
  /** What a Twisted server sends for {@code ValueError("boom")}. */
  protected static final String TWISTED_EXCEPTION = "builtins.ValueError: boom";

  /** What a pb4j server sends for {@code IllegalArgumentException("boom")}: the Java type name. */
  protected static final String JAVA_EXCEPTION = "java.lang.IllegalArgumentException: boom";

  protected static final String TWISTED_WRONG_ARITY =
      "builtins.TypeError: BrokerRoot.remote_add() takes from 2 to 3 positional arguments but 4"
          + " were given";
  protected static final String JAVA_WRONG_ARITY =
      "builtins.TypeError: add() takes from 1 to 2 positional arguments but 3 were given";
  protected static final String TWISTED_MISSING_ARGUMENT =
      "builtins.TypeError: BrokerRoot.remote_add() missing 1 required positional argument: 'a'";
  protected static final String JAVA_MISSING_ARGUMENT =
      "builtins.TypeError: add() missing required argument: 'a'";

  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);

  private ScenarioServer server;
  private ScenarioClient client;

  /** Starts the server of this combination. */
  protected abstract ScenarioServer startServer() throws Exception;

  /** Starts the client of this combination. */
  protected abstract ScenarioClient startClient() throws Exception;

  /** The failure text of a remote method raising an ordinary exception ("boom"). */
  protected abstract String expectedOrdinaryException();

  /** The failure text of {@code add(1, 2, 3)} (too many positional arguments). */
  protected abstract String expectedWrongArity();

  /** The failure text of {@code add(b=2)} (a required argument missing). */
  protected abstract String expectedMissingArgument();

  /**
   * What the client gets when the server returns a client object it held only as the call's
   * argument ({@code given_back}); see {@link #objectReturnedByTheServerAfterItsProxyWasFreed()}.
   */
  protected abstract String expectedGivenBack();

  @BeforeAll
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void start() throws Exception {
    server = startServer();
    client = startClient();
  }

  @AfterAll
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void stop() throws Exception {
    try {
      if (client != null) {
        client.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  private String run(String scenario) throws Exception {
    return client.run(scenario, server.port());
  }

  @Test
  void callsWithPositionalArguments() throws Exception {
    assertThat(run("call_positional"))
        .isEqualTo("add(2, 3)=5 add(7)=8 signature=(1, 'two', None) {}");
  }

  @Test
  void callsWithKeywordArguments() throws Exception {
    assertThat(run("call_keywords"))
        .isEqualTo("add(2, b=40)=42 add(a=1, b=2)=3 signature=(1,) {'x': 3, 'y': b'four'}");
  }

  static List<BrokerValues.Value> values() {
    return BrokerValues.all();
  }

  /** The server describes the value it received, then echoes it: both sides keep the type. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void echoKeepsTypeAndValue(BrokerValues.Value value) throws Exception {
    assertThat(run("echo_" + value.name()))
        .isEqualTo("server saw " + value.repr() + "; got back " + value.repr());
  }

  @Test
  void ordinaryExceptionReachesTheCallerWithItsTypeAndParents() throws Exception {
    assertThat(run("error_exception"))
        .isEqualTo(expectedOrdinaryException() + "; check builtins.ValueError: True");
  }

  @Test
  void pbErrorReachesTheCaller() throws Exception {
    assertThat(run("error_pb_error"))
        .isEqualTo("twisted.spread.pb.Error: not allowed; check twisted.spread.pb.Error: True");
  }

  @Test
  void unknownMethodFailsWithNoSuchMethod() throws Exception {
    assertThat(run("error_no_such_method"))
        .isEqualTo("twisted.spread.flavors.NoSuchMethod: No such method: remote_nosuch");
  }

  @Test
  void tooManyArgumentsFailWithTypeError() throws Exception {
    assertThat(run("error_wrong_arity")).isEqualTo(expectedWrongArity());
  }

  @Test
  void missingArgumentFailsWithTypeError() throws Exception {
    assertThat(run("error_missing_argument")).isEqualTo(expectedMissingArgument());
  }

  /** answerRequired=0: nothing comes back, not even the error of a failing call. */
  @Test
  void callsWithoutAnswerRunButAnswerNothing() throws Exception {
    assertThat(run("no_answer"))
        .isEqualTo("note returned None; fail returned None; notes=['quiet']");
    server.awaitEvent("noted quiet", EVENT_TIMEOUT);
  }

  /** A reference sent back to its owner arrives as the owner's own object (`local`), both ways. */
  @Test
  void referenceSentBackIsTheOwnersObject() throws Exception {
    assertThat(run("local_identity"))
        .isEqualTo("server: mine=True root=False; client: own object back=True");
  }

  /**
   * The server returns a client object it received as the call's argument and keeps no reference
   * to. A Twisted server frees its proxy as the method returns and so sends the {@code decref}
   * before the answer: when {@code [b'local', luid]} arrives, the client has forgotten the object.
   * A Twisted client then silently gets None; a pb4j client refuses unknown {@code local} ids, so
   * the answer cannot be decoded and it closes the connection. A pb4j server releases its proxy
   * only when it is garbage collected, after the answer, so every client gets its own object.
   */
  @Test
  void objectReturnedByTheServerAfterItsProxyWasFreed() throws Exception {
    assertThat(run("given_back")).isEqualTo(expectedGivenBack());
  }

  @Test
  void serverCallsBackAClientObjectPassedAsArgument() throws Exception {
    assertThat(run("callback")).isEqualTo("server got 'pong hi'; client saw ['hi']");
  }

  /** Each copy received is counted; releasing them (decref) frees the server's object. */
  @Test
  void releasedReferencesAreFreedOnTheServer() throws Exception {
    assertThat(run("refcount"))
        .isEqualTo("exported: start=1 made=2 released=1; shared twice=2 same luid=True released=1");
  }

  /** MAX_BROKER_REFS: root and 1024 objects; the 1025th fails until one is released. */
  @Test
  void the1025thReferenceIsRefused() throws Exception {
    assertThat(run("limit"))
        .isEqualTo(
            "made 1024; refused ['twisted.spread.pb.Error: Maximum PB reference count exceeded.'];"
                + " exported=1025; after releasing one: <ref>; after releasing all: exported=1");
  }

  /** The fourth violation on a connection is answered with "Goodbye." and closes it. */
  @Test
  void theFourthViolationOfTheLimitClosesTheConnection() throws Exception {
    String exceeded = "'twisted.spread.pb.Error: Maximum PB reference count exceeded.'";
    assertThat(run("limit_goodbye"))
        .isEqualTo(
            "made 1024; refused ["
                + String.join(", ", exceeded, exceeded, exceeded)
                + ", 'twisted.spread.pb.Error: Maximum PB reference count exceeded.  Goodbye.']"
                + "; connection closed: True");
  }

  @Test
  void referenceIsNotifiedWhenTheServerDropsTheConnection() throws Exception {
    assertThat(run("disconnect_notification"))
        .isEqualTo("dropMe='bye'; notified with the same reference: True; call after: dead");
    server.awaitEvent("dropped connection lost", EVENT_TIMEOUT);
  }

  @Test
  void callsAfterTheClientClosedFailAsDeadReferences() throws Exception {
    assertThat(run("dead_after_client_close"))
        .isEqualTo("root after close: dead; thing after close: dead");
  }
}
