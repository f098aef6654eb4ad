package io.github.pb4j.cred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AvatarIdTest {
  @Test
  void wrapsAUsernameWithValueEquality() {
    assertThat(AvatarId.of("alice"))
        .isEqualTo(new AvatarId("alice"))
        .hasSameHashCodeAs(AvatarId.of("alice"));
    assertThat(AvatarId.of("alice").username()).isEqualTo("alice");
    assertThat(AvatarId.of("alice").isAnonymous()).isFalse();
    assertThat(AvatarId.of("alice")).hasToString("AvatarId[alice]");
  }

  @Test
  void anonymousIsDistinctFromEveryUser() {
    assertThat(AvatarId.ANONYMOUS.isAnonymous()).isTrue();
    assertThat(AvatarId.ANONYMOUS)
        .isNotEqualTo(AvatarId.of("ANONYMOUS"))
        .hasToString("AvatarId[ANONYMOUS]");
  }

  @Test
  void rejectsEmptyUsernameSoAStrayPasswordLineCannotMeanAnonymous() {
    assertThatThrownBy(() -> AvatarId.of(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("username: empty (expected: at least one character)");
  }

  @Test
  void anonymousHasNoUsername() {
    assertThatThrownBy(AvatarId.ANONYMOUS::username).isInstanceOf(IllegalStateException.class);
  }
}
