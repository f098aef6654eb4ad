package io.github.pb4j.cred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.cred.PasswordCredentials.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordCredentialsTest {
  private static final Set<Class<? extends Credentials>> ALL =
      CredentialInterfaces.of(
          UsernamePassword.class, UsernameHashedPassword.class, UsernameMd5Password.class);
  private static final byte[] PASSWORD = "secret".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CHALLENGE = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  private static Md5ChallengeCredentials challenge(byte[] password) {
    return new Md5ChallengeCredentials(
        "alice", CHALLENGE, Md5ChallengeCredentials.respond(password, CHALLENGE));
  }

  @Test
  void plaintextPasswordsAreCheckedAgainstTheStoredPassword() {
    PasswordCredentials c = PasswordCredentials.of(UsernamePassword.of("alice", "secret"), ALL);

    assertThat(c).isNotNull();
    assertThat(c.kind()).isEqualTo(Kind.PASSWORD);
    assertThat(c.username()).isEqualTo("alice");
    assertThat(c.matchesPlaintext(PASSWORD)).isTrue();
    assertThat(c.matchesPlaintext("wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(c.password().username()).isEqualTo("alice");
  }

  @Test
  void challengeResponsesPreferTheHashedKindWhenBothAreSupported() {
    PasswordCredentials c = PasswordCredentials.of(challenge(PASSWORD), ALL);

    assertThat(c).isNotNull();
    assertThat(c.kind()).isEqualTo(Kind.HASHED_PASSWORD);
    assertThat(c.matchesPlaintext(PASSWORD)).isTrue();
    assertThat(c.matchesPlaintext("wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThatThrownBy(c::password).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void md5ResponsesAreCheckedAgainstAPlaintextOrAnMd5Verifier() {
    PasswordCredentials c =
        PasswordCredentials.of(
            challenge(PASSWORD),
            CredentialInterfaces.of(UsernamePassword.class, UsernameMd5Password.class));

    assertThat(c).isNotNull();
    assertThat(c.kind()).isEqualTo(Kind.MD5_PASSWORD);
    assertThat(c.matchesPlaintext(PASSWORD)).isTrue();
    assertThat(c.matchesMd5(Md5ChallengeCredentials.md5(PASSWORD))).isTrue();
    assertThat(c.matchesMd5(new byte[16])).isFalse();
  }

  @Test
  void unsupportedCredentialsAreNotMatched() {
    assertThat(
            PasswordCredentials.of(
                challenge(PASSWORD), CredentialInterfaces.of(UsernamePassword.class)))
        .isNull();
    assertThat(PasswordCredentials.of(Anonymous.INSTANCE, ALL)).isNull();
    assertThat(PasswordCredentials.unhandled(Anonymous.INSTANCE, ALL))
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(UnhandledCredentialsException.class)
        .withMessageEndingWith(
            "(expected: one of UsernamePassword, UsernameHashedPassword, UsernameMd5Password)");
  }
}
