package io.github.pb4j.cred;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class AllowAnonymousAccessTest {
  private final AllowAnonymousAccess checker = new AllowAnonymousAccess();

  @Test
  void letsAnonymousInAsTheAnonymousAvatarId() {
    assertThat(checker.credentialInterfaces()).containsExactly(Anonymous.class);
    assertThat(checker.requestAvatarId(Anonymous.INSTANCE))
        .isCompletedWithValue(AvatarId.ANONYMOUS);
  }

  @Test
  void anonymousLoginThroughAPortal() {
    var realm = new PortalTest.RecordingRealm();
    var portal = Portal.builder().realm(realm).checker(checker).build();

    assertThat(portal.login(Anonymous.INSTANCE, null, PortalTest.Avatar.class))
        .succeedsWithin(Duration.ofSeconds(5));
    assertThat(realm.calls).containsExactly("AvatarId[ANONYMOUS] null [Avatar]");
  }

  @Test
  void refusesOtherCredentials() {
    assertThat(checker.requestAvatarId(UsernamePassword.of("a", "b")))
        .failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(UnhandledCredentialsException.class);
  }
}
