package io.github.pb4j.userstore;

import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Realm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** A realm that records its calls and hands out an {@link Avatar}. */
final class RecordingRealm implements Realm {
  record Avatar(AvatarId id) {}

  final List<String> calls = new ArrayList<>();

  @Override
  public synchronized CompletionStage<LoginResult<?>> requestAvatar(
      AvatarId avatarId, @Nullable Object mind, Class<?>... interfaces) {
    calls.add(
        avatarId
            + " "
            + mind
            + " "
            + List.of(interfaces).stream().map(Class::getSimpleName).toList());
    return CompletableFuture.completedFuture(LoginResult.of(Avatar.class, new Avatar(avatarId)));
  }
}
