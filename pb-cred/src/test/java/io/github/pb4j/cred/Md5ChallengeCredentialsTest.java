package io.github.pb4j.cred;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Vectors from PB-PROTOCOL.md §6.3, captured from Twisted 22.4 (session b_cred_login). */
class Md5ChallengeCredentialsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SECRET = "secret".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHALLENGE = HEX.parseHex("d0b4ff10198aaf490b1a174a0823d78e");
  private static final String RESPONSE = "1994047605cec1e6c170ec2640e678f2";

  @Test
  void md5OfSecret() {
    assertThat(HEX.formatHex(Md5ChallengeCredentials.md5(SECRET)))
        .isEqualTo("5ebe2294ecd0e0f08eab7690d2a6ee69");
  }

  @Test
  void respondsAsTwistedDoes() {
    assertThat(HEX.formatHex(Md5ChallengeCredentials.respond(SECRET, CHALLENGE)))
        .isEqualTo(RESPONSE);
    assertThat(
            HEX.formatHex(
                Md5ChallengeCredentials.respond(
                    "WRONG".getBytes(StandardCharsets.US_ASCII), CHALLENGE)))
        .isEqualTo("2dd81e069f96f3071994a5b2f2285ea1");
  }

  @Test
  void checksAgainstThePlaintextPassword() {
    var credentials = new Md5ChallengeCredentials("alice", CHALLENGE, HEX.parseHex(RESPONSE));

    assertThat(credentials.checkPassword(SECRET)).isTrue();
    assertThat(credentials.checkPassword("WRONG".getBytes(StandardCharsets.US_ASCII))).isFalse();
  }

  @Test
  void checksAgainstTheMd5OfThePassword() {
    var credentials = new Md5ChallengeCredentials("alice", CHALLENGE, HEX.parseHex(RESPONSE));

    assertThat(credentials.checkMd5Password(HEX.parseHex("5ebe2294ecd0e0f08eab7690d2a6ee69")))
        .isTrue();
    assertThat(credentials.checkMd5Password(new byte[16])).isFalse();
  }

  @Test
  void theWrongPasswordsResponseFails() {
    var credentials =
        new Md5ChallengeCredentials(
            "alice", CHALLENGE, HEX.parseHex("2dd81e069f96f3071994a5b2f2285ea1"));

    assertThat(credentials.checkPassword(SECRET)).isFalse();
  }

  @Test
  void keepsItsOwnCopiesAndHidesThemInToString() {
    byte[] challenge = CHALLENGE.clone();
    byte[] response = HEX.parseHex(RESPONSE);
    var credentials = new Md5ChallengeCredentials("alice", challenge, response);

    Arrays.fill(challenge, (byte) 0);
    Arrays.fill(response, (byte) 0);

    assertThat(credentials.checkPassword(SECRET)).isTrue();
    assertThat(credentials.toString())
        .isEqualTo("Md5ChallengeCredentials[username=alice]")
        .doesNotContain(RESPONSE);
  }

  @Property(tries = 200)
  void aResponseProvesExactlyItsPassword(
      @ForAll @Size(max = 64) byte[] password,
      @ForAll @Size(min = 16, max = 16) byte[] challenge,
      @ForAll @Size(max = 64) byte[] other) {
    var credentials =
        new Md5ChallengeCredentials(
            "u", challenge, Md5ChallengeCredentials.respond(password, challenge));

    assertThat(credentials.checkPassword(password)).isTrue();
    assertThat(credentials.checkMd5Password(Md5ChallengeCredentials.md5(password))).isTrue();
    assertThat(credentials.checkPassword(other)).isEqualTo(Arrays.equals(password, other));
  }
}
