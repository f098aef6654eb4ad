package io.github.pb4j.userstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Argon2HasherTest {
  private static final Argon2Hasher.Cost CHEAP = new Argon2Hasher.Cost(64, 1, 1);

  private final Argon2Hasher hasher = new Argon2Hasher(CHEAP);

  /**
   * Made by the reference implementation (Debian's {@code argon2} 0~20171227), e.g. {@code echo -n
   * secret | argon2 pb4jtestsalt0001 -id -t 2 -k 19456 -p 1 -l 32 -e}.
   */
  @Test
  void verifiesHashesOfTheReferenceImplementation() {
    assertThat(
            hasher.verify(
                bytes("secret"),
                "$argon2id$v=19$m=64,t=1,p=1$cGI0anRlc3RzYWx0MDAwMQ"
                    + "$aZUoVh6+FT6Eo/xHEg/ghfMD67Qcwig+5GDnHzpG9ng"))
        .isTrue();
    assertThat(
            hasher.verify(
                bytes("secret"),
                "$argon2id$v=19$m=64,t=1,p=2$cGI0anRlc3RzYWx0MDAwMQ"
                    + "$oBAz1kNT1Jb/d1xm03JyT+YoNvCX9yPWVdmtznFW/qw"))
        .isTrue();
    assertThat(
            hasher.verify(
                bytes("correct horse"),
                "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHRzb21lc2FsdA"
                    + "$4BnlcpLz5MRq0Izs2E2zIqpIFISeK/m9DFKmAc7uq5Y"))
        .isTrue();
  }

  @Test
  void verifiesAReferenceHashWithOwaspCost() {
    assertThat(
            hasher.verify(
                bytes("secret"),
                "$argon2id$v=19$m=19456,t=2,p=1$cGI0anRlc3RzYWx0MDAwMQ"
                    + "$evBbrwcwnpzKs1IIs/2dq4PvVFwrmFAZ+uOpINVP+/A"))
        .isTrue();
  }

  @Test
  void hashesInThePhcFormatWithARandomSalt() {
    String first = hasher.hash(bytes("secret"));
    String second = hasher.hash(bytes("secret"));

    assertThat(first)
        .matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(first).isNotEqualTo(second);
    assertThat(hasher.verify(bytes("secret"), first)).isTrue();
    assertThat(hasher.verify(bytes("secret"), second)).isTrue();
    assertThat(hasher.verify(bytes("Secret"), first)).isFalse();
    assertThat(hasher.verify(new byte[0], first)).isFalse();
  }

  @Test
  void owaspCostHashesAndVerifies() {
    var owasp = new Argon2Hasher(Argon2Hasher.OWASP);

    String hash = owasp.hash(bytes("secret"));

    assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    assertThat(owasp.verify(bytes("secret"), hash)).isTrue();
  }

  @Test
  void tellsWhenAHashNeedsNewParameters() {
    String hash = hasher.hash(bytes("secret"));

    assertThat(hasher.needsRehash(hash)).isFalse();
    assertThat(new Argon2Hasher(new Argon2Hasher.Cost(128, 1, 1)).needsRehash(hash)).isTrue();
  }

  @Test
  void rejectsMalformedHashesWithoutEchoingThem() {
    for (String bad :
        new String[] {
          "",
          "secret",
          "$argon2i$v=19$m=64,t=1,p=1$cGI0anRlc3RzYWx0MDAwMQ"
              + "$aZUoVh6+FT6Eo/xHEg/ghfMD67Qcwig+5GDnHzpG9ng",
          "$argon2id$v=16$m=64,t=1,p=1$cGI0anRlc3RzYWx0MDAwMQ"
              + "$aZUoVh6+FT6Eo/xHEg/ghfMD67Qcwig+5GDnHzpG9ng",
          "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aZUoVh6+FT6Eo/xHEg/ghfMD67Qcwig+5GDnHzpG9ng",
        }) {
      assertThatThrownBy(() -> hasher.verify(bytes("secret"), bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("stored hash: malformed (expected: Argon2id PHC string)");
    }
  }

  @Test
  void refusesStoredCostsBeyondItsBounds() {
    // A corrupt or hostile row must not make the server allocate 64 GiB.
    assertThatThrownBy(
            () ->
                hasher.verify(
                    bytes("secret"),
                    "$argon2id$v=19$m=67108864,t=1,p=1$cGI0anRlc3RzYWx0MDAwMQ"
                        + "$aZUoVh6+FT6Eo/xHEg/ghfMD67Qcwig+5GDnHzpG9ng"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("memoryKib: 67108864");
  }

  @Test
  void rejectsImpossibleCosts() {
    assertThatThrownBy(() -> new Argon2Hasher.Cost(8, 1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("memoryKib: 8 (expected: 16..1048576)");
    assertThatThrownBy(() -> new Argon2Hasher.Cost(64, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Argon2Hasher.Cost(64, 1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
