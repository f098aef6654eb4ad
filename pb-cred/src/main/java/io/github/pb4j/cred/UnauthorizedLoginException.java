package io.github.pb4j.cred;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The credentials are wrong: unknown user or wrong password, indistinguishably. Java form of
 * Twisted's {@code twisted.cred.error.UnauthorizedLogin}.
 *
 * <p><em>Immutable.</em>
 */
public final class UnauthorizedLoginException extends LoginFailedException {
  private static final long serialVersionUID = 1L;

  // class UnauthorizedLogin(LoginFailed, Unauthorized): Python's C3 order.
  private static final List<String> PARENTS =
      List.of(
          "twisted.cred.error.UnauthorizedLogin",
          "twisted.cred.error.LoginFailed",
          "twisted.cred.error.Unauthorized",
          "builtins.Exception",
          "builtins.BaseException",
          "builtins.object");

  /** Creates a failure with an empty message, as Twisted's checkers raise it. */
  public UnauthorizedLoginException() {
    this("");
  }

  public UnauthorizedLoginException(String message) {
    super(message, null, PARENTS);
  }

  public UnauthorizedLoginException(String message, @Nullable Throwable cause) {
    super(message, cause, PARENTS);
  }
}
