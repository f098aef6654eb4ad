package io.github.pb4j.cred;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The login was refused although the credentials may be right: too many attempts, a quota used up,
 * a server too busy, or a realm that refuses the user. Java form of Twisted's {@code
 * twisted.cred.error.LoginDenied}.
 *
 * <p><em>Immutable.</em>
 */
public final class LoginDeniedException extends LoginFailedException {
  private static final long serialVersionUID = 1L;

  private static final List<String> PARENTS =
      List.of(
          "twisted.cred.error.LoginDenied",
          "twisted.cred.error.LoginFailed",
          "builtins.Exception",
          "builtins.BaseException",
          "builtins.object");

  public LoginDeniedException(String message) {
    super(message, null, PARENTS);
  }

  public LoginDeniedException(String message, @Nullable Throwable cause) {
    super(message, cause, PARENTS);
  }
}
