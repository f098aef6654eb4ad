package io.github.pb4j.examples.chat;

import io.github.pb4j.Avatar;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.LoginDeniedException;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Realm;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Hands out {@link User} avatars of a {@link ChatService}: the seed's {@code ChatRealm}. The mind
 * is attached to the user for the session; the logout detaches it. Anonymous clients are refused.
 *
 * <p><em>Thread-safe.</em>
 */
final class ChatRealm implements Realm {
  private final ChatService service;

  ChatRealm(ChatService service) {
    this.service = service;
  }

  @Override
  public CompletionStage<LoginResult<?>> requestAvatar(
      AvatarId avatarId, @Nullable Object mind, Class<?>... interfaces) {
    if (!Arrays.asList(interfaces).contains(Avatar.class)) {
      return CompletableFuture.failedFuture(
          new UnsupportedOperationException("ChatRealm only hands out Avatars"));
    }
    if (avatarId.isAnonymous()) {
      return CompletableFuture.failedFuture(
          new LoginDeniedException("anonymous users cannot chat"));
    }
    return CompletableFuture.completedFuture(service.attach(avatarId.username(), mind));
  }
}
