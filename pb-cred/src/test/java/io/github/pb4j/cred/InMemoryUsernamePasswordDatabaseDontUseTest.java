package io.github.pb4j.cred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InMemoryUsernamePasswordDatabaseDontUseTest {
  private static final byte[] CHALLENGE =
      HexFormat.of().parseHex("d0b4ff10198aaf490b1a174a0823d78e");

  private final InMemoryUsernamePasswordDatabaseDontUse checker =
      new InMemoryUsernamePasswordDatabaseDontUse()
          .addUser("user1", "pass1")
          .addUser("alice", "secret");

  @Test
  void handlesPlaintextHashedAndMd5Credentials() {
    assertThat(checker.credentialInterfaces())
        .containsExactly(
            UsernamePassword.class, UsernameHashedPassword.class, UsernameMd5Password.class);
  }

  @Test
  void acceptsTheRightPlaintextPassword() {
    assertThat(checker.requestAvatarId(UsernamePassword.of("user1", "pass1")))
        .isCompletedWithValue(AvatarId.of("user1"));
  }

  @Test
  void refusesAWrongPasswordAndAnUnknownUserAlike() {
    assertUnauthorized(checker.requestAvatarId(UsernamePassword.of("user1", "pass2")));
    assertUnauthorized(checker.requestAvatarId(UsernamePassword.of("nobody", "pass1")));
  }

  @Test
  void anUnknownUserCostsTheSameComparisonAsAWrongPassword() {
    var compared = new java.util.ArrayList<String>();
    class Counting implements UsernamePassword {
      private final String username;

      Counting(String username) {
        this.username = username;
      }

      @Override
      public String username() {
        return username;
      }

      @Override
      public byte[] password() {
        return bytes("WRONG");
      }

      @Override
      public boolean checkPassword(byte[] password) {
        compared.add(username);
        return false;
      }
    }

    assertUnauthorized(checker.requestAvatarId(new Counting("alice")));
    assertUnauthorized(checker.requestAvatarId(new Counting("nobody")));

    assertThat(compared).containsExactly("alice", "nobody");
  }

  @Test
  void checksPbChallengeResponses() {
    byte[] right = Md5ChallengeCredentials.respond(bytes("secret"), CHALLENGE);
    byte[] wrong = Md5ChallengeCredentials.respond(bytes("WRONG"), CHALLENGE);

    assertThat(checker.requestAvatarId(new Md5ChallengeCredentials("alice", CHALLENGE, right)))
        .isCompletedWithValue(AvatarId.of("alice"));
    assertUnauthorized(
        checker.requestAvatarId(new Md5ChallengeCredentials("alice", CHALLENGE, wrong)));
  }

  @Test
  void checksMd5OnlyCredentials() {
    UsernameMd5Password md5Only = md5Credentials("alice", "5ebe2294ecd0e0f08eab7690d2a6ee69");

    assertThat(checker.requestAvatarId(md5Only)).isCompletedWithValue(AvatarId.of("alice"));
    assertUnauthorized(
        checker.requestAvatarId(md5Credentials("alice", "00000000000000000000000000000000")));
  }

  @Test
  void addUserReplacesThePassword() {
    checker.addUser("user1", "new");

    assertThat(checker.requestAvatarId(UsernamePassword.of("user1", "new"))).isCompleted();
    assertUnauthorized(checker.requestAvatarId(UsernamePassword.of("user1", "pass1")));
  }

  @Test
  void rejectsAnEmptyUsername() {
    assertThatThrownBy(() -> checker.addUser("", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesCredentialsItDoesNotHandle() {
    assertThat(checker.requestAvatarId(Anonymous.INSTANCE))
        .isCompletedExceptionally()
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(UnhandledCredentialsException.class);
  }

  static void assertUnauthorized(CompletableFuture<AvatarId> result) {
    assertThat(result)
        .failsWithin(java.time.Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(UnauthorizedLoginException.class);
  }

  private static UsernameMd5Password md5Credentials(String username, String md5Hex) {
    byte[] expected = HexFormat.of().parseHex(md5Hex);
    return new UsernameMd5Password() {
      @Override
      public String username() {
        return username;
      }

      @Override
      public boolean checkMd5Password(byte[] md5OfPassword) {
        return java.util.Arrays.equals(expected, md5OfPassword);
      }
    };
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
