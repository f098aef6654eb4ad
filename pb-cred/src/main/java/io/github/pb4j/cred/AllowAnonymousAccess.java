package io.github.pb4j.cred;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A checker that lets every {@link Anonymous} client in as {@link AvatarId#ANONYMOUS}. Java form of
 * Twisted's {@code twisted.cred.checkers.AllowAnonymousAccess}.
 *
 * <p>Register it on a portal to allow anonymous logins (PB's {@code loginAnonymous}); the realm
 * then decides what an anonymous client gets. <em>Immutable.</em>
 */
public final class AllowAnonymousAccess implements CredentialsChecker {
  private static final Set<Class<? extends Credentials>> INTERFACES =
      CredentialInterfaces.of(Anonymous.class);

  /** Returns {@code [Anonymous]}. */
  @Override
  public Set<Class<? extends Credentials>> credentialInterfaces() {
    return INTERFACES;
  }

  /** Returns a completed stage of {@link AvatarId#ANONYMOUS} for {@link Anonymous} credentials. */
  @Override
  public CompletableFuture<AvatarId> requestAvatarId(Credentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    if (!(credentials instanceof Anonymous)) {
      return CompletableFuture.failedFuture(
          new UnhandledCredentialsException(
              "credentials: " + credentials.getClass().getName() + " (expected: Anonymous)"));
    }
    return CompletableFuture.completedFuture(AvatarId.ANONYMOUS);
  }

  @Override
  public String toString() {
    return "AllowAnonymousAccess";
  }
}
