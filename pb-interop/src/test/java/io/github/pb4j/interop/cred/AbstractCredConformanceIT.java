package io.github.pb4j.interop.cred;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * PB login over cred, scenario by scenario after Twisted's {@code NewCredTests}
 * ({@code twisted/spread/test/test_pb.py}), run by a client against a server; subclasses choose
 * which of them is Java and which is Twisted. Every way must give the texts Twisted gives against
 * itself ({@link TwistedTwistedCredIT} is the oracle), and the server's realm must see the same
 * logins and logouts.
 *
 * <p>Each test starts its own server (so that its events are its own) with the checkers Twisted's
 * test registers; the client lives as long as the class. Server events are {@code login <name>}
 * and {@code logout <name>} from the realm, and {@code error ...} for every error the server logs
 * (a Twisted server: each error Twisted logs; a Java server: what pb4j logs at WARN or above, in
 * that JVM).
 *
 * <p>The suite's service: users alice/secret, bob/hunter2, carol/fido, and sleepy/zzz whose avatar
 * never comes; the avatar has {@code getAvatarId}, {@code add}, {@code echo}, {@code getMind},
 * {@code poke} (calls the mind's {@code notify}), {@code getViewPoint} (a viewable whose {@code
 * check} answers the caller's name) and {@code hang} (never answers).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class AbstractCredConformanceIT {
  private static final Duration EVENT_WAIT = Duration.ofSeconds(10);

  private ScenarioClient client;

  /** Starts the client side; called once per class. */
  abstract ScenarioClient newClient() throws Exception;

  /** Starts a server registering {@code checkers}, in that order. */
  abstract ScenarioServer newServer(CheckerSet checkers) throws Exception;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void startClient() throws Exception {
    client = newClient();
  }

  @AfterAll
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void stopClient() throws Exception {
    if (client != null) {
      client.close();
    }
  }

  /** test_getRootObject: the root is a reference; dropping the connection notifies it. */
  @Test
  void getRootObject() throws Exception {
    check("getRootObject", CheckerSet.PASSWORD, "root reference; disconnect notified");
  }

  /** test_deadReferenceError: calling a reference of a lost connection fails at once. */
  @Test
  void deadReference() throws Exception {
    check("deadReference", CheckerSet.PASSWORD, "after disconnect: dead reference");
  }

  /**
   * test_clientConnectionLost: a login and a call still pending when the connection goes fail as
   * connection lost; a new connection serves again. Logouts come with each disconnect.
   */
  @Test
  void connectionLost() throws Exception {
    check("connectionLost", CheckerSet.PASSWORD,
        "pending login: connection lost; pending call: connection lost; new connection: alice",
        "login alice", "logout alice", "login alice", "logout alice");
  }

  /**
   * test_immediateClose: a connection closed before sending anything costs the server nothing:
   * it logs no error and serves the next client.
   */
  @Test
  void immediateClose() throws Exception {
    List<String> events = check("immediateClose", CheckerSet.PASSWORD,
        "server still serves: alice", "login alice", "logout alice");
    assertThat(events).as("errors the server logged").noneMatch(e -> e.startsWith("error "));
  }

  /** test_loginConnectionRefused: login to a port nobody listens on fails as refused. */
  @Test
  void connectionRefused() throws Exception {
    check("connectionRefused", CheckerSet.PASSWORD, "connection refused");
  }

  /**
   * test_loginLogout: a username/password login with a mind; the realm sees the mind, and logs
   * the avatar out once when the connection is dropped.
   */
  @Test
  void loginLogout() throws Exception {
    check("loginLogout", CheckerSet.PASSWORD, "logged in as alice; mind BRAINS!",
        "login alice", "logout alice");
  }

  /**
   * test_logoutAfterDecref: releasing the avatar reference logs out at once, while the
   * connection is still up: before bob's later login on the same connection.
   */
  @Test
  void logoutAfterDecref() throws Exception {
    List<String> events = check("logoutAfterDecref", CheckerSet.PASSWORD,
        "released alice; then bob", "login alice", "logout alice", "login bob", "logout bob");
    assertThat(realmEvents(events))
        .containsExactly("login alice", "logout alice", "login bob", "logout bob");
  }

  /**
   * test_concurrentLogin: several logins at once on one connection, and on several, each get
   * their own avatar; each is logged out once.
   */
  @Test
  void concurrentLogin() throws Exception {
    check("concurrentLogin", CheckerSet.PASSWORD,
        "one connection: alice, bob; several connections: alice, bob, carol",
        "login alice", "login bob", "login alice", "login bob", "login carol",
        "logout alice", "logout bob", "logout alice", "logout bob", "logout carol");
  }

  /** test_badUsernamePasswordLogin, unknown user: UnauthorizedLogin; the connection lives on. */
  @Test
  void badUsername() throws Exception {
    check("badUsername", CheckerSet.PASSWORD,
        "refused twisted.cred.error.UnauthorizedLogin: ; same connection: alice",
        "login alice", "logout alice");
  }

  /** test_badUsernamePasswordLogin, wrong password: UnauthorizedLogin; the connection lives on. */
  @Test
  void badPassword() throws Exception {
    check("badPassword", CheckerSet.PASSWORD,
        "refused twisted.cred.error.UnauthorizedLogin: ; same connection: alice",
        "login alice", "logout alice");
  }

  /** test_anonymousLogin: with an anonymous checker, anonymous clients get an avatar. */
  @Test
  void anonymousLogin() throws Exception {
    check("anonymousLogin", CheckerSet.ANONYMOUS, "anonymous echo 123",
        "login anonymous", "logout anonymous");
  }

  /** test_anonymousLoginNotPermitted: without one, UnhandledCredentials with Twisted's message. */
  @Test
  void anonymousLoginNotPermitted() throws Exception {
    check("anonymousLoginNotPermitted", CheckerSet.PASSWORD,
        "refused twisted.cred.error.UnhandledCredentials: "
            + "No checker for twisted.cred.credentials.IAnonymous; same connection: alice",
        "login alice", "logout alice");
  }

  /** test_anonymousLoginWithMultipleCheckers. */
  @Test
  void anonymousLoginWithMultipleCheckers() throws Exception {
    check("anonymousLoginWithMultipleCheckers", CheckerSet.ANONYMOUS_AND_PASSWORD,
        "anonymous echo 123", "login anonymous", "logout anonymous");
  }

  /** test_authenticatedLoginWithMultipleCheckers. */
  @Test
  void authenticatedLoginWithMultipleCheckers() throws Exception {
    check("authenticatedLoginWithMultipleCheckers", CheckerSet.ANONYMOUS_AND_PASSWORD,
        "alice add 123", "login alice", "logout alice");
  }

  /**
   * test_view: a viewable reached through the avatar gets the caller's perspective, injected by
   * the server: alice and bob on one connection each see themselves, and a client that tries to
   * pass a perspective itself (positionally or by keyword) gets a TypeError.
   */
  @Test
  void view() throws Exception {
    check("view", CheckerSet.PASSWORD,
        "alice sees alice; bob sees bob; forged positional: builtins.TypeError; "
            + "forged keyword: builtins.TypeError",
        "login alice", "login bob", "logout alice", "logout bob");
  }

  /** The avatar calls back the mind the client gave at login. */
  @Test
  void mind() throws Exception {
    check("mind", CheckerSet.PASSWORD, "poke answered ack alice: hello; mind got [alice: hello]",
        "login alice", "logout alice");
  }

  /**
   * Runs {@code scenario} against a new server, checks its result, waits for the expected realm
   * events (in any order, each as often as listed), stops the server and checks that the realm saw
   * exactly those. Returns all the server's events in order, its {@code error} events
   * included.
   */
  private List<String> check(
      String scenario, CheckerSet checkers, String expected, String... expectedEvents)
      throws Exception {
    ScenarioServer server = newServer(checkers);
    try {
      assertThat(client.run(scenario, server.port())).as(scenario).isEqualTo(expected);
      awaitEvents(server, List.of(expectedEvents));
    } finally {
      server.close();
    }
    List<String> all = server.events();
    assertThat(realmEvents(all)).as("realm events of %s", scenario)
        .containsExactlyInAnyOrder(expectedEvents);
    return all;
  }

  private static List<String> realmEvents(List<String> events) {
    return events.stream().filter(e -> !e.startsWith("error ")).toList();
  }

  /**
   * Waits until the server has reported every event of {@code expected} as often as it is listed.
   * The server is another process or thread pool and reports only a list, so this re-reads it.
   */
  private static void awaitEvents(ScenarioServer server, List<String> expected)
      throws InterruptedException {
    for (String event : new LinkedHashSet<>(expected)) {
      server.awaitEvent(event, EVENT_WAIT);
    }
    long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
    while (!containsAll(server.events(), expected) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private static boolean containsAll(List<String> events, List<String> expected) {
    List<String> left = new ArrayList<>(events);
    return expected.stream().allMatch(left::remove);
  }
}
