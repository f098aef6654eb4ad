package io.github.pb4j.interop.cred;

import io.github.pb4j.Avatar;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.Viewable;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Realm;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The realm of the Java server of the cred conformance suite; the Java twin of {@code
 * cred_server.py}'s realm, avatar and board. Records {@code login <name>} when it hands out an
 * avatar and {@code logout <name>} when the avatar is logged out. The avatar of {@code sleepy}
 * never comes, so a login as sleepy stays pending.
 *
 * <p><em>Thread-safe.</em>
 */
final class CredRealm implements Realm {
  /** The user whose avatar never comes. */
  static final String SLEEPY = "sleepy";

  private final Board board = new Board();
  private volatile Consumer<String> events = event -> {};

  /** Sets where events go; the scenario server hands its sink to each connection's root. */
  void events(Consumer<String> sink) {
    this.events = sink;
  }

  @Override
  public CompletionStage<LoginResult<?>> requestAvatar(
      AvatarId avatarId, @Nullable Object mind, Class<?>... interfaces) {
    if (!Arrays.asList(interfaces).contains(Avatar.class)) {
      return CompletableFuture.failedFuture(
          new UnsupportedOperationException("this realm only hands out Avatar"));
    }
    String name = avatarId.isAnonymous() ? "anonymous" : avatarId.username();
    if (name.equals(SLEEPY)) {
      return new CompletableFuture<>();
    }
    Consumer<String> sink = events;
    sink.accept("login " + name);
    User user = new User(name, mind, board);
    return CompletableFuture.completedFuture(
        new LoginResult<>(Avatar.class, user, () -> sink.accept("logout " + name)));
  }

  /** What {@code getMind} answers: the mind's text, or its kind. */
  static String describeMind(@Nullable Object mind) {
    if (mind == null) {
      return "none";
    }
    if (mind instanceof RemoteReference) {
      return "reference";
    }
    if (mind instanceof String s) {
      return s;
    }
    return mind.getClass().getSimpleName();
  }

  /** A user's perspective; Twisted's {@code perspective_} methods. */
  public static final class User implements Avatar {
    private final String name;
    private final @Nullable Object mind;
    private final Board board;

    User(String name, @Nullable Object mind, Board board) {
      this.name = name;
      this.mind = mind;
      this.board = board;
    }

    @Remote
    public String getAvatarId() {
      return name;
    }

    @Remote
    public long add(long a, long b) {
      return a + b;
    }

    @Remote
    public @Nullable Object echo(@Nullable Object value) {
      return value;
    }

    @Remote
    public String getMind() {
      return describeMind(mind);
    }

    /** Calls the client's mind back. */
    @Remote
    public CompletableFuture<@Nullable Object> poke(String text) {
      if (!(mind instanceof RemoteReference client)) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("mind: " + describeMind(mind) + " (expected: a reference)"));
      }
      return client.callRemote("notify", name + ": " + text);
    }

    @Remote
    public Board getViewPoint() {
      return board;
    }

    /** Never answers: a call that is still pending when the connection goes. */
    @Remote
    public CompletableFuture<@Nullable Object> hang() {
      return new CompletableFuture<>();
    }
  }

  /** One object shared by every user; each sees it through their own perspective. */
  public static final class Board implements Viewable {
    @Remote
    public String check(User user) {
      return user.name;
    }
  }
}
