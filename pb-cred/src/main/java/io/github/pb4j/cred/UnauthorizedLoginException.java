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

  /** The message of a failure that has no text of its own: what it means, without saying which. */
  static final String DEFAULT_MESSAGE = "login refused: unknown user or wrong password";

  /**
   * Creates a failure with an empty value, as Twisted's checkers raise it; its message says what
   * it means ({@value #DEFAULT_MESSAGE}).
   */
  public UnauthorizedLoginException() {
    this("");
  }

  /** Creates a failure with {@code message} as its value; an empty one gets the default message. */
  public UnauthorizedLoginException(String message) {
    this(message, null);
  }

  public UnauthorizedLoginException(String message, @Nullable Throwable cause) {
    super(message.isEmpty() ? DEFAULT_MESSAGE : message, cause, PARENTS, message);
  }
}
