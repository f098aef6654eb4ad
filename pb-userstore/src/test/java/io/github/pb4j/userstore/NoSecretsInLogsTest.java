package io.github.pb4j.userstore;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.github.pb4j.cred.Anonymous;
import io.github.pb4j.cred.FilePasswordDb;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.Md5ChallengeCredentials;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.UsernamePassword;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
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
 * Logs everything at TRACE while logins succeed and fail, then checks that no password, MD5 of a
 * password, challenge, response or password hash appears in any message, exception, MDC value or
 * JSON line.
 */
@Timeout(30)
class NoSecretsInLogsTest {
  private static final String PASSWORD = "Tr0ub4dor&3-unique";
  private static final String WRONG = "Wr0ng-unique-guess";
  private static final byte[] CHALLENGE =
      HexFormat.of().parseHex("d0b4ff10198aaf490b1a174a0823d78e");

  @TempDir Path directory;

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final JsonEncoder json = new JsonEncoder();
  private Level originalLevel;

  @BeforeEach
  void captureEverything() {
    originalLevel = root.getLevel();
    root.setLevel(Level.TRACE);
    appender.start();
    root.addAppender(appender);
    json.setContext(root.getLoggerContext());
    json.start();
  }

  @AfterEach
  void restore() {
    root.detachAppender(appender);
    root.setLevel(originalLevel);
  }

  @Test
  void loginsNeverLogSecrets() throws Exception {
    var realm = new RecordingRealm();
    try (JdbcUserStore store =
        JdbcUserStore.sqliteBuilder(directory.resolve("users.db"))
            .argon2(64, 1, 1)
            .storeMd5Verifier(true)
            .build()) {
      settle(store.addUser("alice", PASSWORD.toCharArray()));
      settle(store.changePassword("alice", PASSWORD.toCharArray()));
      var portals =
          List.of(
              Portal.builder().realm(realm).checker(store.checker()).build(),
              Portal.builder()
                  .realm(realm)
                  .checker(new InMemoryUsernamePasswordDatabaseDontUse().addUser("alice", PASSWORD))
                  .build(),
              Portal.builder()
                  .realm(realm)
                  .checker(FilePasswordDb.builder(passwordFile(), Runnable::run).build())
                  .build());
      for (Portal portal : portals) {
        for (String password : List.of(PASSWORD, WRONG)) {
          settle(portal.login(UsernamePassword.of("alice", password), null, Object.class));
          settle(portal.login(UsernamePassword.of("bob", password), null, Object.class));
          settle(portal.login(challenge(password), null, Object.class));
        }
        settle(portal.login(Anonymous.INSTANCE, null, Object.class));
      }
    }

    assertThat(appender.list).as("captured log events").isNotEmpty();
    List<String> secrets =
        List.of(
            PASSWORD,
            WRONG,
            hex(Md5ChallengeCredentials.md5(bytes(PASSWORD))),
            hex(Md5ChallengeCredentials.md5(bytes(WRONG))),
            hex(CHALLENGE),
            hex(Md5ChallengeCredentials.respond(bytes(PASSWORD), CHALLENGE)),
            hex(Md5ChallengeCredentials.respond(bytes(WRONG), CHALLENGE)),
            "$argon2id$");
    for (ILoggingEvent event : appender.list) {
      String text = render(event);
      for (String secret : secrets) {
        assertThat(text.toLowerCase())
            .as("log event %s", text)
            .doesNotContain(secret.toLowerCase());
      }
    }
  }

  private Path passwordFile() throws java.io.IOException {
    Path file = directory.resolve("passwd");
    Files.writeString(file, "alice:" + PASSWORD + "\n");
    return file;
  }

  /**
   * The event as text and as a JSON line ({@code pb --log-format json}), with everything the JSON
   * encoder can show: message template, arguments, MDC, key-value pairs, throwables.
   */
  private String render(ILoggingEvent event) {
    var text = new StringBuilder(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    text.append(" | mdc ").append(event.getMDCPropertyMap());
    text.append(" | json ").append(new String(json.encode(event), StandardCharsets.UTF_8));
    return text.toString();
  }

  /** Waits for a future, success or failure. */
  private static void settle(CompletableFuture<?> future) throws InterruptedException {
    try {
      future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // Failed logins are part of the scenario.
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("not settled within " + Duration.ofSeconds(20), e);
    }
  }

  private static Md5ChallengeCredentials challenge(String password) {
    return new Md5ChallengeCredentials(
        "alice", CHALLENGE, Md5ChallengeCredentials.respond(bytes(password), CHALLENGE));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
