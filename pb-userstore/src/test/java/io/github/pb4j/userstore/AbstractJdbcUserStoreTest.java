package io.github.pb4j.userstore;

import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.LoginDeniedException;
import io.github.pb4j.cred.Md5ChallengeCredentials;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.cred.UnhandledCredentialsException;
import io.github.pb4j.cred.UsernameMd5Password;
import io.github.pb4j.cred.UsernamePassword;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour of {@link JdbcUserStore} on any database; subclasses say where the database is.
 * Stores use a cheap Argon2 cost so the suite stays fast; {@link Argon2HasherTest} covers the
 * default cost.
 */
@Timeout(30)
abstract class AbstractJdbcUserStoreTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final byte[] CHALLENGE =
      HexFormat.of().parseHex("d0b4ff10198aaf490b1a174a0823d78e");

  /** One table per test, so tests can share a database server. */
  private final String table =
      "users_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();

  private final List<JdbcUserStore> stores = new ArrayList<>();

  /** Returns a builder for a store in this test's database; each call the same database. */
  abstract JdbcUserStore.Builder database();

  /** Opens a raw connection to this test's database. */
  abstract java.sql.Connection connect() throws SQLException;

  @AfterEach
  void closeStoresAndDropTheTable() throws SQLException {
    stores.forEach(JdbcUserStore::close);
    try (var connection = connect();
        var statement = connection.createStatement()) {
      statement.executeUpdate("DROP TABLE IF EXISTS " + table);
    }
  }

  @Test
  void startsEmpty() {
    JdbcUserStore store = open(false);

    assertThat(store.hasUsers()).succeedsWithin(WAIT).isEqualTo(false);
    assertThat(store.listUsers()).succeedsWithin(WAIT).asList().isEmpty();
  }

  @Test
  void addsAndListsUsersSorted() {
    JdbcUserStore store = open(false);

    join(store.addUser("bob", "hunter2".toCharArray()));
    join(store.addUser("alice", bytes("secret")));

    assertThat(store.hasUsers()).succeedsWithin(WAIT).isEqualTo(true);
    assertThat(store.listUsers()).succeedsWithin(WAIT).asList().containsExactly("alice", "bob");
  }

  @Test
  void refusesToAddAUserTwice() {
    JdbcUserStore store = open(false);
    join(store.addUser("alice", bytes("secret")));

    assertThat(failureOf(store.addUser("alice", bytes("other"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("user already exists: alice");
    assertThat(waitFor(login(store, "alice", "secret"))).isEqualTo(AvatarId.of("alice"));
  }

  @Test
  void removesUsers() {
    JdbcUserStore store = open(false);
    join(store.addUser("alice", bytes("secret")));

    assertThat(store.removeUser("alice")).succeedsWithin(WAIT).isEqualTo(true);
    assertThat(store.removeUser("alice")).succeedsWithin(WAIT).isEqualTo(false);
    assertUnauthorized(login(store, "alice", "secret"));
  }

  @Test
  void changesPasswords() {
    JdbcUserStore store = open(false);
    join(store.addUser("alice", bytes("old")));

    join(store.changePassword("alice", "new".toCharArray()));

    assertThat(waitFor(login(store, "alice", "new"))).isEqualTo(AvatarId.of("alice"));
    assertUnauthorized(login(store, "alice", "old"));
    assertThat(failureOf(store.changePassword("nobody", bytes("x"))))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("no such user: nobody");
  }

  @Test
  void checksPasswordsAndRefusesWrongOnesAndUnknownUsersAlike() {
    JdbcUserStore store = open(false);
    join(store.addUser("alice", bytes("secret")));

    assertThat(waitFor(login(store, "alice", "secret"))).isEqualTo(AvatarId.of("alice"));
    assertUnauthorized(login(store, "alice", "Secret"));
    assertUnauthorized(login(store, "bob", "secret"));
    assertUnauthorized(login(store, "", "secret"));
    assertUnauthorized(login(store, "x".repeat(300), "secret"));
  }

  @Test
  void storesArgon2idPhcStringsAndNoVerifierByDefault() throws SQLException {
    JdbcUserStore store = open(false);
    join(store.addUser("alice", bytes("secret")));

    Row row = row("alice");

    assertThat(row.passwordHash())
        .startsWith("$argon2id$v=19$m=64,t=1,p=1$")
        .doesNotContain("secret");
    assertThat(row.md5Verifier()).isNull();
  }

  @Test
  void withoutVerifiersPbChallengeLoginIsUnhandled() {
    JdbcUserStore store = open(false);
    join(store.addUser("alice", bytes("secret")));
    var portal =
        Portal.builder().realm(new RecordingRealm()).checker(store.checker()).build();

    assertThat(store.checker().credentialInterfaces()).containsExactly(UsernamePassword.class);
    assertThat(failureOf(portal.login(challenge("alice", "secret"), null)))
        .isInstanceOf(UnhandledCredentialsException.class)
        .hasMessage(
            "No checker for twisted.cred.credentials.IUsernameHashedPassword, "
                + "twisted.spread.pb.IUsernameMD5Password");
  }

  @Test
  void withVerifiersChecksPbChallengeResponses() throws SQLException {
    JdbcUserStore store = open(true);
    join(store.addUser("alice", bytes("secret")));

    assertThat(store.checker().credentialInterfaces())
        .containsExactly(UsernamePassword.class, UsernameMd5Password.class);
    assertThat(row("alice").md5Verifier()).isEqualTo("5ebe2294ecd0e0f08eab7690d2a6ee69");
    // The PB-PROTOCOL.md §6.3 vector: response 1994047605cec1e6c170ec2640e678f2.
    var vector =
        new Md5ChallengeCredentials(
            "alice", CHALLENGE, HexFormat.of().parseHex("1994047605cec1e6c170ec2640e678f2"));
    assertThat(waitFor(check(store, vector))).isEqualTo(AvatarId.of("alice"));
    assertUnauthorized(check(store, challenge("alice", "WRONG")));
    assertUnauthorized(check(store, challenge("bob", "secret")));
  }

  @Test
  void aUserWithoutVerifierFailsPbLoginUntilAPasswordLogin() throws SQLException {
    join(open(false).addUser("alice", bytes("secret")));
    JdbcUserStore store = open(true);

    assertUnauthorized(check(store, challenge("alice", "secret")));

    assertThat(waitFor(login(store, "alice", "secret"))).isEqualTo(AvatarId.of("alice"));
    assertThat(row("alice").md5Verifier()).isEqualTo("5ebe2294ecd0e0f08eab7690d2a6ee69");
    assertThat(waitFor(check(store, challenge("alice", "secret")))).isEqualTo(AvatarId.of("alice"));
  }

  @Test
  void changingThePasswordChangesTheVerifier() {
    JdbcUserStore store = open(true);
    join(store.addUser("alice", bytes("secret")));

    join(store.changePassword("alice", bytes("new")));

    assertUnauthorized(check(store, challenge("alice", "secret")));
    assertThat(waitFor(check(store, challenge("alice", "new")))).isEqualTo(AvatarId.of("alice"));
  }

  @Test
  void clearsVerifiers() throws SQLException {
    JdbcUserStore store = open(true);
    join(store.addUser("alice", bytes("secret")));
    join(store.addUser("bob", bytes("hunter2")));

    assertThat(store.clearMd5Verifiers()).succeedsWithin(WAIT).isEqualTo(2);

    assertThat(row("alice").md5Verifier()).isNull();
    assertUnauthorized(check(store, challenge("alice", "secret")));
  }

  @Test
  void rehashesOnLoginWhenTheCostChanged() throws SQLException {
    join(open(false).addUser("alice", bytes("secret")));
    JdbcUserStore stronger = track(database().table(table).argon2(128, 2, 1).build());

    assertThat(waitFor(login(stronger, "alice", "secret"))).isEqualTo(AvatarId.of("alice"));

    assertThat(row("alice").passwordHash()).startsWith("$argon2id$v=19$m=128,t=2,p=1$");
    assertThat(waitFor(login(stronger, "alice", "secret"))).isEqualTo(AvatarId.of("alice"));
  }

  @Test
  void storesShareTheTable() {
    join(open(false).addUser("alice", bytes("secret")));

    assertThat(open(false).listUsers()).succeedsWithin(WAIT).asList().containsExactly("alice");
  }

  @Test
  void runsNothingOnTheCallingThread() {
    var executor = new ManualExecutor();
    JdbcUserStore store =
        track(database().table(table).argon2(64, 1, 1).executor(executor).build());

    CompletableFuture<Void> added = store.addUser("alice", bytes("secret"));
    CompletableFuture<AvatarId> login = login(store, "alice", "secret");

    assertThat(added).isNotDone();
    assertThat(login).isNotDone();
    assertThat(executor.runAll()).isEqualTo(2);
    assertThat(added).isCompleted();
    assertThat(login).isCompletedWithValue(AvatarId.of("alice"));
  }

  @Test
  void rejectsInvalidUsernamesAtOnce() {
    JdbcUserStore store = open(false);

    assertThatThrownBy(() -> store.addUser("", bytes("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.addUser("x".repeat(256), bytes("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("username: length 256 (expected: 1..255 characters, no control characters)");
    assertThatThrownBy(() -> store.addUser("a\nb", bytes("x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void storesNonAsciiNamesAndPasswords() {
    JdbcUserStore store = open(true);
    join(store.addUser("jürgen", "pässwörd".toCharArray()));

    assertThat(waitFor(login(store, "jürgen", "pässwörd"))).isEqualTo(AvatarId.of("jürgen"));
    assertThat(waitFor(check(store, challenge("jürgen", "pässwörd"))))
        .isEqualTo(AvatarId.of("jürgen"));
  }

  @Test
  void closedStoreRefusesOperationsAndLogins() {
    JdbcUserStore store = open(false);
    join(store.addUser("alice", bytes("secret")));

    store.close();

    assertThat(failureOf(store.listUsers())).isInstanceOf(IllegalStateException.class);
    assertThat(failureOf(login(store, "alice", "secret"))).isInstanceOf(LoginDeniedException.class);
  }

  JdbcUserStore open(boolean md5Verifier) {
    return track(database().table(table).argon2(64, 1, 1).storeMd5Verifier(md5Verifier).build());
  }

  private JdbcUserStore track(JdbcUserStore store) {
    stores.add(store);
    return store;
  }

  private record Row(String passwordHash, @Nullable String md5Verifier) {}

  private Row row(String username) throws SQLException {
    try (var connection = connect();
        var statement =
            connection.prepareStatement(
                "SELECT password_hash, md5_verifier FROM " + table + " WHERE username = ?")) {
      statement.setString(1, username);
      try (var result = statement.executeQuery()) {
        assertThat(result.next()).as("row of %s", username).isTrue();
        return new Row(result.getString(1), result.getString(2));
      }
    }
  }

  static CompletableFuture<AvatarId> login(JdbcUserStore store, String username, String password) {
    return check(store, UsernamePassword.of(username, password));
  }

  static CompletableFuture<AvatarId> check(JdbcUserStore store, Credentials credentials) {
    return store.checker().requestAvatarId(credentials).toCompletableFuture();
  }

  static Md5ChallengeCredentials challenge(String username, String password) {
    return new Md5ChallengeCredentials(
        username, CHALLENGE, Md5ChallengeCredentials.respond(bytes(password), CHALLENGE));
  }

  static <T> T waitFor(CompletableFuture<T> future) {
    assertThat(future).succeedsWithin(WAIT);
    return future.join();
  }

  static void join(CompletableFuture<?> future) {
    waitFor(future);
  }

  static void assertUnauthorized(CompletableFuture<?> future) {
    assertThat(failureOf(future)).isInstanceOf(UnauthorizedLoginException.class);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static java.sql.Connection connect(PostgresServer.Database database) throws SQLException {
    return DriverManager.getConnection(database.url(), database.user(), database.password());
  }
}
