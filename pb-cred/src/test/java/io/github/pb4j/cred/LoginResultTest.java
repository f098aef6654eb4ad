package io.github.pb4j.cred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoginResultTest {
  @Test
  void carriesTypeAvatarAndLogout() {
    var logouts = new AtomicInteger();
    var result = new LoginResult<>(CharSequence.class, "avatar", logouts::incrementAndGet);

    result.logout().run();

    assertThat(result.type()).isEqualTo(CharSequence.class);
    assertThat(result.avatar()).isEqualTo("avatar");
    assertThat(logouts).hasValue(1);
  }

  @Test
  void rejectsAnAvatarThatIsNotOfTheType() {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Class<Object> lie = (Class) Integer.class;

    assertThatThrownBy(() -> new LoginResult<>(lie, "not a number", () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("avatar: java.lang.String (expected: instance of java.lang.Integer)");
  }

  @Test
  void ofHasALogoutThatDoesNothing() {
    LoginResult.of(String.class, "avatar").logout().run();
  }
}
