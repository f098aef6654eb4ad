package io.github.pb4j.cred;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * No checker of the portal handles the kind of credentials presented: a server configuration error,
 * or a login method the server does not offer (e.g. anonymous). Java form of Twisted's {@code
 * twisted.cred.error.UnhandledCredentials}.
 *
 * <p>The {@link Portal}'s message matches Twisted's, e.g. {@code No checker for
 * twisted.cred.credentials.IAnonymous}.
 *
 * <p><em>Immutable.</em>
 */
public final class UnhandledCredentialsException extends LoginFailedException {
  private static final long serialVersionUID = 1L;

  private static final List<String> PARENTS =
      List.of(
          "twisted.cred.error.UnhandledCredentials",
          "twisted.cred.error.LoginFailed",
          "builtins.Exception",
          "builtins.BaseException",
          "builtins.object");

  public UnhandledCredentialsException(String message) {
    super(message, null, PARENTS);
  }

  public UnhandledCredentialsException(String message, @Nullable Throwable cause) {
    super(message, cause, PARENTS);
  }
}
