package io.github.pb4j.cred;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Twisted names and MROs, as printed by {@code [reflect.qual(c) for c in inspect.getmro(cls)]} for
 * the classes of {@code twisted/cred/error.py} in Twisted 22.4.
 */
class LoginFailedExceptionTest {
  @Test
  void loginFailed() {
    var e = new LoginFailedException();

    assertThat(e.twistedType()).isEqualTo("twisted.cred.error.LoginFailed");
    assertThat(e.twistedParents())
        .containsExactly(
            "twisted.cred.error.LoginFailed",
            "builtins.Exception",
            "builtins.BaseException",
            "builtins.object");
    assertThat(e).hasMessage("").isInstanceOf(RuntimeException.class);
  }

  @Test
  void unauthorizedLoginAlsoDerivesFromUnauthorized() {
    var e = new UnauthorizedLoginException();

    assertThat(e.twistedType()).isEqualTo("twisted.cred.error.UnauthorizedLogin");
    // As in PB-PROTOCOL.md §6.7 (session d_failed_login).
    assertThat(e.twistedParents())
        .containsExactly(
            "twisted.cred.error.UnauthorizedLogin",
            "twisted.cred.error.LoginFailed",
            "twisted.cred.error.Unauthorized",
            "builtins.Exception",
            "builtins.BaseException",
            "builtins.object");
    assertThat(e).isInstanceOf(LoginFailedException.class);
  }

  @Test
  void unauthorizedLoginHasARealMessageButTwistedsEmptyValue() {
    // Twisted's checkers raise UnauthorizedLogin() with no text; a program should not print "".
    var e = new UnauthorizedLoginException();

    assertThat(e).hasMessage("login refused: unknown user or wrong password");
    assertThat(e.twistedValue()).isEmpty();
    var given = new UnauthorizedLoginException("challenge already answered");
    assertThat(given).hasMessage("challenge already answered");
    assertThat(given.twistedValue()).isEqualTo("challenge already answered");
  }

  @Test
  void unhandledCredentials() {
    var e = new UnhandledCredentialsException("No checker for twisted.cred.credentials.IAnonymous");

    assertThat(e.twistedType()).isEqualTo("twisted.cred.error.UnhandledCredentials");
    assertThat(e.twistedParents())
        .containsExactly(
            "twisted.cred.error.UnhandledCredentials",
            "twisted.cred.error.LoginFailed",
            "builtins.Exception",
            "builtins.BaseException",
            "builtins.object");
    assertThat(e).isInstanceOf(LoginFailedException.class);
  }

  @Test
  void loginDenied() {
    var e = new LoginDeniedException("too many attempts");

    assertThat(e.twistedType()).isEqualTo("twisted.cred.error.LoginDenied");
    assertThat(e.twistedParents())
        .containsExactly(
            "twisted.cred.error.LoginDenied",
            "twisted.cred.error.LoginFailed",
            "builtins.Exception",
            "builtins.BaseException",
            "builtins.object");
    assertThat(e).isInstanceOf(LoginFailedException.class);
  }

  @Test
  void parentsStartWithTheTypeAndEndWithObject() {
    for (LoginFailedException e :
        List.of(
            new LoginFailedException(),
            new UnauthorizedLoginException(),
            new UnhandledCredentialsException("x"),
            new LoginDeniedException("x"))) {
      assertThat(e.twistedParents()).first().isEqualTo(e.twistedType());
      assertThat(e.twistedParents()).last().isEqualTo("builtins.object");
    }
  }
}
