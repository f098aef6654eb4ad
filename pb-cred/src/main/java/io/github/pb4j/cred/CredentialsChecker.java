package io.github.pb4j.cred;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Checks credentials and tells whose they are. Java form of Twisted's {@code
 * twisted.cred.checkers.ICredentialsChecker}.
 *
 * <p>Implementations must be thread-safe: a portal calls them from any thread, often a network
 * event loop, so {@link #requestAvatarId} must not block; slow work (password hashing, database or
 * file I/O) runs on an executor of the checker's own and completes the stage there.
 */
public interface CredentialsChecker {
  /**
   * Returns the kinds of credentials this checker can check, in the order a {@link Portal}
   * registers them (Twisted's {@code credentialInterfaces}). Return an ordered set.
   */
  Set<Class<? extends Credentials>> credentialInterfaces();

  /**
   * Checks {@code credentials} and returns a stage that completes with the avatar id they prove.
   *
   * <p>Mirrors {@code ICredentialsChecker.requestAvatarId}. The stage fails with {@link
   * UnauthorizedLoginException} when the credentials are wrong (unknown user or wrong password,
   * indistinguishably), and may fail with another {@link LoginFailedException}. Must not block; a
   * portal also turns a synchronous throw into a failed login.
   *
   * @param credentials an instance of one of {@link #credentialInterfaces()}
   */
  CompletionStage<AvatarId> requestAvatarId(Credentials credentials);
}
