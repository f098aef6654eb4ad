package io.github.pb4j.examples.chat;

import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.CredentialsChecker;
import io.github.pb4j.cred.LoginFailedException;
import io.github.pb4j.cred.TlsClientCertificate;
import io.github.pb4j.cred.UsernameMd5Password;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.examples.ExampleRunner;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a checker and logs refused logins at INFO, with the username and the kind of failure (never
 * the password or the response). <em>Thread-safe</em> if the wrapped checker is.
 */
public final class RefusalLoggingChecker implements CredentialsChecker {
  private static final Logger logger = LoggerFactory.getLogger(ChatService.class);

  private final CredentialsChecker delegate;

  /** Wraps {@code delegate}. */
  public RefusalLoggingChecker(CredentialsChecker delegate) {
    this.delegate = delegate;
  }

  @Override
  public Set<Class<? extends Credentials>> credentialInterfaces() {
    return delegate.credentialInterfaces();
  }

  @Override
  public CompletionStage<AvatarId> requestAvatarId(Credentials credentials) {
    return delegate
        .requestAvatarId(credentials)
        .whenComplete(
            (id, failure) -> {
              if (failure != null) {
                Throwable cause = ExampleRunner.unwrap(failure);
                String kind =
                    cause instanceof LoginFailedException l
                        ? l.twistedType()
                        : cause.getClass().getName();
                logger.info(
                    "refused login of {}: {}",
                    username(credentials),
                    kind.substring(kind.lastIndexOf('.') + 1));
              }
            });
  }

  private static String username(Credentials credentials) {
    // The client chose the name: shown by the chat's rule, so it cannot forge a log line.
    if (credentials instanceof UsernameMd5Password c) {
      return ChatText.neutralise(c.username());
    }
    if (credentials instanceof UsernamePassword c) {
      return ChatText.neutralise(c.username());
    }
    if (credentials instanceof TlsClientCertificate c) {
      return "certificate " + ChatText.neutralise(c.subject().getName());
    }
    return "a client (" + credentials.getClass().getSimpleName() + ")";
  }
}
