package io.github.pb4j.interop.cred;

import static io.github.pb4j.testing.Futures.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.github.pb4j.PbLogin;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.cred.Anonymous;
import io.github.pb4j.userstore.JdbcUserStore;
import io.github.pb4j.cred.LoginThrottle;
import io.github.pb4j.cred.Md5ChallengeCredentials;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.interop.PythonScenarioClient;
import io.github.pb4j.interop.PythonScenarioServer;
import io.github.pb4j.interop.ScenarioServer;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.netty.PbClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Logs everything at TRACE (every logger, frames included) while Java and Twisted clients log in
 * to a pb4j server and a pb4j client logs in to pb4j and Twisted servers, rightly and wrongly,
 * then checks that no log event shows a password, the hex MD5 of a password, or a challenge or
 * response that went over the wire: in hex, in the Python notation the frame log uses, or in
 * Base64.
 *
 * <p>PbLogin computes its responses out of sight, so the test also logs in by hand, calling {@code
 * login} and {@code respond} itself: through the same brokers, with challenges and responses it
 * knows.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CredSecretsNotLoggedIT {
  private static final String PASSWORD = JavaCredServer.DAVES_PASSWORD;
  private static final String WRONG = "Wr0ng-guess-pb4j"; // cred_client.py's wrong one for dave
  private static final long WAIT_SECONDS = 20;

  @TempDir Path directory;

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Map<Logger, Level> levels = new LinkedHashMap<>();
  private final List<byte[]> wireSecrets = new ArrayList<>();

  @BeforeEach
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void captureEverything() {
    for (Logger logger : context.getLoggerList()) {
      if (logger.getLevel() != null) {
        levels.put(logger, logger.getLevel());
        logger.setLevel(Level.TRACE);
      }
    }
    appender.start();
    root.addAppender(appender);
  }

  @AfterEach
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void restore() {
    root.detachAppender(appender);
    levels.forEach(Logger::setLevel);
  }

  @Test
  void loginsOfJavaAndTwistedPeersNeverLogSecrets() throws Exception {
    try (JdbcUserStore store = JavaCredServer.configure(
        JdbcUserStore.sqliteBuilder(directory.resolve("users.db"))).build()) {
      JavaCredServer.addUsers(store);
      // Dave's failures from 127.0.0.1 since his last success: 1 before the throttled part, which
      // adds 3; then his guesses wait a minute.
      LoginThrottle throttle = LoginThrottle.builder().maxFailures(4)
          .initialDelay(java.time.Duration.ofMinutes(1)).build();
      ScenarioServer server =
          JavaCredServer.start(store, CheckerSet.ANONYMOUS_AND_PASSWORD, throttle);
      try {
        try (PythonScenarioClient twisted = new PythonScenarioClient("cred_client.py")) {
          assertThat(twisted.run("daveLogins", server.port()))
              .isEqualTo("dave; refused twisted.cred.error.UnauthorizedLogin: ");
        }
        javaClientLogins(server.port(), true);
      } finally {
        server.close();
      }
    }
    try (PythonScenarioServer twisted = new PythonScenarioServer("cred_server.py", "password")) {
      javaClientLogins(twisted.port(), false);
    }

    List<ILoggingEvent> logged;
    synchronized (appender) { // Event loops and peers' output readers may still be logging.
      logged = new ArrayList<>(appender.list);
    }
    assertThat(logged).as("captured log events").isNotEmpty();
    assertThat(logged).as("frames logged at TRACE")
        .anyMatch(e -> e.getLevel() == Level.TRACE && e.getFormattedMessage().contains("respond"));
    List<String> secrets = secrets();
    for (ILoggingEvent event : logged) {
      String text = render(event).toLowerCase();
      for (String secret : secrets) {
        assertThat(text).as("log event %s", render(event)).doesNotContain(secret.toLowerCase());
      }
    }
  }

  /** Right, wrong and unknown logins with PbLogin, then by hand; a refusal if throttled. */
  private void javaClientLogins(int port, boolean throttled) throws Exception {
    try (PbClient client = PbClient.builder().host("127.0.0.1").port(port).build()) {
      RemoteReference root = await(client.getRootObject());
      RemoteReference dave =
          await(PbLogin.login(root, UsernamePassword.of("dave", PASSWORD), null));
      assertThat(await(dave.callRemote("getAvatarId"))).isEqualTo("dave");
      dave.release();
      assertRefused(PbLogin.login(root, UsernamePassword.of("dave", WRONG), null));
      assertRefused(PbLogin.login(root, UsernamePassword.of("nobody", PASSWORD), null));

      RemoteReference byHand = loginByHand(root, PASSWORD);
      assertThat(await(byHand.callRemote("getAvatarId"))).isEqualTo("dave");
      assertThatThrownBy(() -> loginByHand(root, WRONG)).isInstanceOf(ExecutionException.class);

      if (throttled) {
        for (int i = 0; i < 3; i++) {
          assertRefused(PbLogin.login(root, UsernamePassword.of("dave", WRONG), null));
        }
        // Throttled: the right password is refused too, and says nothing about why.
        assertRefused(PbLogin.login(root, UsernamePassword.of("dave", PASSWORD), null));
        RemoteReference anonymous = await(PbLogin.login(root, Anonymous.INSTANCE, null));
        assertThat(await(anonymous.callRemote("getAvatarId"))).isEqualTo("anonymous");
      }
    }
  }

  /** Calls {@code login} and {@code respond} itself, remembering the challenge and response. */
  private RemoteReference loginByHand(RemoteReference root, String password) throws Exception {
    Tuple answer = (Tuple) await(root.callRemote("login", ByteString.utf8("dave")));
    byte[] challenge = ((ByteString) answer.get(0)).toByteArray();
    RemoteReference challenger = (RemoteReference) answer.get(1);
    byte[] response = Md5ChallengeCredentials.respond(password.getBytes(UTF_8), challenge);
    synchronized (wireSecrets) {
      wireSecrets.add(challenge);
      wireSecrets.add(response);
    }
    try {
      return (RemoteReference)
          await(challenger.callRemote("respond", ByteString.of(response), null));
    } finally {
      challenger.release();
    }
  }

  private List<String> secrets() {
    List<String> secrets = new ArrayList<>();
    for (String password : List.of(PASSWORD, WRONG)) {
      secrets.add(password);
      secrets.add(hex(Md5ChallengeCredentials.md5(password.getBytes(UTF_8))));
    }
    synchronized (wireSecrets) {
      assertThat(wireSecrets).as("challenges and responses seen").hasSizeGreaterThanOrEqualTo(8);
      for (byte[] secret : wireSecrets) {
        secrets.add(hex(secret));
        secrets.add(ByteString.of(secret).toPythonRepr());
        secrets.add(Base64.getEncoder().encodeToString(secret));
      }
    }
    return secrets;
  }

  private static String render(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    return text.toString();
  }

  private static void assertRefused(CompletableFuture<?> login) throws Exception {
    try {
      login.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return;
    }
    throw new AssertionError("login succeeded");
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
