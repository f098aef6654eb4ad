package io.github.pb4j.examples.typedclients;

import io.github.pb4j.RemoteProxy;
import java.util.concurrent.CompletableFuture;

/**
 * The seed's servers as Java interfaces: what their clients expect of them. {@link RemoteProxy}
 * turns each into a stub over a reference; the same interfaces serve for the Twisted originals
 * and for pb4j's twins.
 */
public final class SeedApis {
  private SeedApis() {}

  /** The root of {@code pbsimpleserver.py}: {@code remote_echo}. */
  public interface Echoer {
    CompletableFuture<String> echo(String text);
  }

  /** The perspective of {@code pb5server.py} and {@code pb6server.py}: {@code perspective_foo}. */
  public interface FooPerspective {
    CompletableFuture<Void> foo(int arg);
  }

  /** The chat server's perspective: {@code perspective_joinGroup} returns the group's view. */
  public interface ChatPerspective {
    CompletableFuture<ChatGroup> joinGroup(String groupName);
  }

  /** A group's view in the chat server: {@code view_send}. */
  public interface ChatGroup {
    CompletableFuture<Void> send(String message);
  }
}
