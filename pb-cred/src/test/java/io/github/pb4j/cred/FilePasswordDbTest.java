package io.github.pb4j.cred;

import static io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUseTest.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePasswordDbTest {
  private static final Executor DIRECT = Runnable::run;
  private static final byte[] CHALLENGE =
      HexFormat.of().parseHex("d0b4ff10198aaf490b1a174a0823d78e");

  @TempDir Path directory;

  @Test
  void checksPlaintextPasswords() throws IOException {
    var db = FilePasswordDb.builder(write("alice:secret\nbob:hunter2\n"), DIRECT).build();

    assertThat(db.credentialInterfaces())
        .containsExactly(UsernamePassword.class, UsernameHashedPassword.class);
    assertThat(db.requestAvatarId(UsernamePassword.of("bob", "hunter2")))
        .isCompletedWithValue(AvatarId.of("bob"));
    assertUnauthorized(db.requestAvatarId(UsernamePassword.of("bob", "secret")));
    assertUnauthorized(db.requestAvatarId(UsernamePassword.of("carol", "secret")));
  }

  @Test
  void checksPbChallengeCredentials() throws IOException {
    var db = FilePasswordDb.builder(write("alice:secret\n"), DIRECT).build();
    byte[] response = HexFormat.of().parseHex("1994047605cec1e6c170ec2640e678f2");
    byte[] wrong = HexFormat.of().parseHex("2dd81e069f96f3071994a5b2f2285ea1");

    assertThat(db.requestAvatarId(new Md5ChallengeCredentials("alice", CHALLENGE, response)))
        .isCompletedWithValue(AvatarId.of("alice"));
    assertUnauthorized(db.requestAvatarId(new Md5ChallengeCredentials("alice", CHALLENGE, wrong)));
  }

  @Test
  void readsLinesAsTwistedDoes() throws IOException {
    // Trailing whitespace and \r are stripped; short lines are ignored; extra fields are fine.
    Path file = write("short\r\nalice:secret  \r\nbob:pw:extra\t\n\n");
    var db = FilePasswordDb.builder(file, DIRECT).build();

    assertThat(db.requestAvatarId(UsernamePassword.of("alice", "secret"))).isCompleted();
    assertThat(db.requestAvatarId(UsernamePassword.of("bob", "pw"))).isCompleted();
    assertUnauthorized(db.requestAvatarId(UsernamePassword.of("short", "")));
  }

  @Test
  void skipsCommentsAndEmptyUsernames() throws IOException {
    Path file = write("# admin:admin\n:blank\nalice:secret\n");
    var db = FilePasswordDb.builder(file, DIRECT).build();

    assertUnauthorized(db.requestAvatarId(UsernamePassword.of("# admin", "admin")));
    assertUnauthorized(db.requestAvatarId(UsernamePassword.of("", "blank")));
  }

  @Test
  void firstLineOfAUserWins() throws IOException {
    var db = FilePasswordDb.builder(write("alice:one\nalice:two\n"), DIRECT).build();

    assertThat(db.requestAvatarId(UsernamePassword.of("alice", "one"))).isCompleted();
    assertUnauthorized(db.requestAvatarId(UsernamePassword.of("alice", "two")));
  }

  @Test
  void usesTheConfiguredDelimiterAndFields() throws IOException {
    Path file = write("1001 || secret || alice\n");
    var db =
        FilePasswordDb.builder(file, DIRECT)
            .delimiter(" || ")
            .usernameField(2)
            .passwordField(1)
            .build();

    assertThat(db.requestAvatarId(UsernamePassword.of("alice", "secret")))
        .isCompletedWithValue(AvatarId.of("alice"));
  }

  @Test
  void comparesUsernamesWithoutCaseWhenAskedAndYieldsTheLowercaseName() throws IOException {
    var db = FilePasswordDb.builder(write("Alice:secret\n"), DIRECT).caseSensitive(false).build();
    var exact = FilePasswordDb.builder(write("Alice:secret\n"), DIRECT).build();

    assertThat(db.requestAvatarId(UsernamePassword.of("ALICE", "secret")))
        .isCompletedWithValue(AvatarId.of("alice"));
    assertUnauthorized(exact.requestAvatarId(UsernamePassword.of("alice", "secret")));
  }

  @Test
  void matchesNonAsciiUsernamesAsUtf8() throws IOException {
    var db = FilePasswordDb.builder(write("jürgen:pässword\n"), DIRECT).build();

    assertThat(db.requestAvatarId(UsernamePassword.of("jürgen", "pässword")))
        .isCompletedWithValue(AvatarId.of("jürgen"));
  }

  @Test
  void withAHashFunctionChecksOnlyPlaintextCredentials() throws IOException {
    // Stored form: hex MD5 of the password, a toy hash for the test.
    Path file = write("alice:5ebe2294ecd0e0f08eab7690d2a6ee69\n");
    var db =
        FilePasswordDb.builder(file, DIRECT)
            .hash(
                (username, password, stored) ->
                    HexFormat.of()
                        .formatHex(Md5ChallengeCredentials.md5(password))
                        .getBytes(StandardCharsets.US_ASCII))
            .build();

    assertThat(db.credentialInterfaces()).containsExactly(UsernamePassword.class);
    assertThat(db.requestAvatarId(UsernamePassword.of("alice", "secret"))).isCompleted();
    assertUnauthorized(db.requestAvatarId(UsernamePassword.of("alice", "WRONG")));
  }

  @Test
  void anUnknownUserCostsTheSameHashingAsAWrongPassword() throws IOException {
    // A slow hash (crypt, bcrypt) skipped for unknown users would tell which users exist.
    var hashed = new java.util.ArrayList<String>();
    var db =
        FilePasswordDb.builder(write("alice:stored-of-alice\nbob:stored-of-bob\n"), DIRECT)
            .hash(
                (username, password, stored) -> {
                  hashed.add(username + " against " + new String(stored, StandardCharsets.UTF_8));
                  return password;
                })
            .build();

    assertUnauthorized(db.requestAvatarId(UsernamePassword.of("alice", "WRONG")));
    assertUnauthorized(db.requestAvatarId(UsernamePassword.of("mallory", "WRONG")));

    assertThat(hashed)
        .containsExactly("alice against stored-of-alice", "mallory against stored-of-alice");
  }

  @Test
  void pbLoginIsUnhandledWithAHashFunction() throws IOException {
    var db = FilePasswordDb.builder(write("alice:x\n"), DIRECT).hash((u, p, s) -> p).build();
    var portal = Portal.builder().realm(new PortalTest.RecordingRealm()).checker(db).build();

    var login = portal.login(new Md5ChallengeCredentials("alice", CHALLENGE, new byte[16]), null);

    assertThat(login)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(UnhandledCredentialsException.class);
  }

  @Test
  void rereadsTheFileForEveryLoginByDefault() throws IOException {
    Path file = write("alice:old\n");
    var db = FilePasswordDb.builder(file, DIRECT).build();
    assertThat(db.requestAvatarId(UsernamePassword.of("alice", "old"))).isCompleted();

    Files.writeString(file, "alice:new\n");

    assertThat(db.requestAvatarId(UsernamePassword.of("alice", "new"))).isCompleted();
  }

  @Test
  void withCacheRereadsOnlyWhenTheModificationTimeChanges() throws IOException {
    Path file = write("alice:old\n");
    FileTime modified = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(file, modified);
    var db = FilePasswordDb.builder(file, DIRECT).cache(true).build();
    assertThat(db.requestAvatarId(UsernamePassword.of("alice", "old"))).isCompleted();

    Files.writeString(file, "alice:new\n");
    Files.setLastModifiedTime(file, modified);
    assertThat(db.requestAvatarId(UsernamePassword.of("alice", "old"))).isCompleted();

    Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_001_000L));
    assertThat(db.requestAvatarId(UsernamePassword.of("alice", "new"))).isCompleted();
  }

  @Test
  void aMissingFileRefusesLogins() {
    var db = FilePasswordDb.builder(directory.resolve("missing"), DIRECT).build();

    assertUnauthorized(db.requestAvatarId(UsernamePassword.of("alice", "secret")));
  }

  @Test
  void readsTheFileOnTheExecutorNotTheCallingThread() throws IOException {
    var executor = new ManualExecutor();
    var db = FilePasswordDb.builder(write("alice:secret\n"), executor).build();

    CompletableFuture<AvatarId> result = db.requestAvatarId(UsernamePassword.of("alice", "secret"));

    assertThat(result).isNotDone();
    assertThat(executor.runAll()).isEqualTo(1);
    assertThat(result).isCompletedWithValue(AvatarId.of("alice"));
  }

  @Test
  void rejectsBadSettings() {
    Path file = directory.resolve("x");
    assertThatThrownBy(() -> FilePasswordDb.builder(file, DIRECT).delimiter(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FilePasswordDb.builder(file, DIRECT).usernameField(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FilePasswordDb.builder(file, DIRECT).passwordField(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("passwordField: 0 (expected: != usernameField)");
  }

  private Path write(String content) throws IOException {
    Path file = Files.createTempFile(directory, "passwd", ".txt");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }
}
