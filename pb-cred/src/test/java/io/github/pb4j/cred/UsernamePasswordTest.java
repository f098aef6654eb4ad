package io.github.pb4j.cred;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsernamePasswordTest {
  @Test
  void checksThePassword() {
    var credentials = UsernamePassword.of("alice", "secret");

    assertThat(credentials.username()).isEqualTo("alice");
    assertThat(credentials.checkPassword(bytes("secret"))).isTrue();
    assertThat(credentials.checkPassword(bytes("secreT"))).isFalse();
    assertThat(credentials.checkPassword(bytes("secret2"))).isFalse();
    assertThat(credentials.checkPassword(new byte[0])).isFalse();
  }

  @Test
  void encodesTextAsUtf8() {
    assertThat(UsernamePassword.of("a", "pässwörd").password()).isEqualTo(bytes("pässwörd"));
    assertThat(UsernamePassword.of("a", "pässwörd".toCharArray()).password())
        .isEqualTo(bytes("pässwörd"));
  }

  @Test
  void keepsItsOwnCopyOfThePassword() {
    byte[] password = bytes("secret");
    var credentials = UsernamePassword.of("alice", password);

    password[0] = 'X';
    credentials.password()[1] = 'X';

    assertThat(credentials.checkPassword(bytes("secret"))).isTrue();
  }

  @Test
  void neverShowsThePasswordInToString() {
    assertThat(UsernamePassword.of("alice", "hunter2").toString())
        .isEqualTo("UsernamePassword[username=alice, password=<hidden>]")
        .doesNotContain("hunter2");
  }

  @Test
  void anonymousIsASingleton() {
    assertThat(Anonymous.INSTANCE).isInstanceOf(Credentials.class).hasToString("Anonymous");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
