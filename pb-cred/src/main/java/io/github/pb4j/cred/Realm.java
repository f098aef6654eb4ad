package io.github.pb4j.cred;

import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Turns an authenticated avatar id into the avatar the client may use: the application's side of
 * cred. Java form of Twisted's {@code twisted.cred.portal.IRealm}.
 *
 * <p>Implementations must be thread-safe unless the portal is always used from one thread with
 * {@link Portal#login(Credentials, Object, java.util.concurrent.Executor, Class...)} on that
 * thread's executor. {@link #requestAvatar} must not block.
 */
@FunctionalInterface
public interface Realm {
  /**
   * Returns a stage that completes with an avatar for {@code avatarId} that is an instance of one
   * of {@code interfaces}, with its logout action.
   *
   * <p>Mirrors {@code IRealm.requestAvatar}. May complete later. Fail the stage (or throw) with
   * {@link LoginDeniedException} to refuse an authenticated user, or with {@link
   * UnsupportedOperationException} when none of {@code interfaces} is supported (Twisted raises
   * {@code NotImplementedError}).
   *
   * @param avatarId who logged in; may be {@link AvatarId#ANONYMOUS}
   * @param mind the client-side object the client offered, or {@code null} (see "The mind" in
   *     {@code docs/cred.md})
   * @param interfaces the types the caller can use, in order of preference
   */
  CompletionStage<LoginResult<?>> requestAvatar(
      AvatarId avatarId, @Nullable Object mind, Class<?>... interfaces);
}
