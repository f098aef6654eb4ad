package io.github.pb4j.interop.flavours;

import io.github.pb4j.Avatar;
import io.github.pb4j.KeywordArguments;
import io.github.pb4j.PortalRoot;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.Viewable;
import io.github.pb4j.cred.AllowAnonymousAccess;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.interop.flavours.FlavourTypes.SecretCopy;
import io.github.pb4j.jelly.Tuple;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Realm of the Java login server: test_pb's {@code TestRealm}. User {@code user} gets a {@link
 * MyPerspective} (an {@link Avatar}); user {@code nsp} gets an object that is no PB flavour at all
 * (test_pb's {@code NonSubclassingPerspective}); anonymous logins get a plain {@link Referenceable}
 * ({@code Echoer}). Twin of {@code FlavoursRealm} in {@code flavours_server.py}.
 */
final class FlavoursRealm implements Realm {
  /** One viewable shared by every perspective, as a chat group would be. */
  private static final MyView VIEW = new MyView();

  private final Consumer<String> events;

  FlavoursRealm(Consumer<String> events) {
    this.events = events;
  }

  /** Returns the root of one connection of the login server. */
  static Object root(io.github.pb4j.Broker broker, Consumer<String> events) {
    var checker = new InMemoryUsernamePasswordDatabaseDontUse()
        .addUser("user", "pass")
        .addUser("nsp", "pass");
    Portal portal =
        new Portal(new FlavoursRealm(events), List.of(checker, new AllowAnonymousAccess()));
    return PortalRoot.factory(portal).apply(broker);
  }

  @Override
  public CompletionStage<LoginResult<?>> requestAvatar(
      AvatarId avatarId, @Nullable Object mind, Class<?>... interfaces) {
    if (avatarId.isAnonymous()) {
      events.accept("login anonymous mind=" + mind);
      return done(new LoginResult<>(
          Object.class, new Echoer(), () -> events.accept("logout anonymous")));
    }
    String name = avatarId.username();
    events.accept("login " + name + " mind=" + mind);
    Object avatar = name.equals("nsp") ? new NonSubclassingPerspective() : new MyPerspective(name);
    return done(new LoginResult<>(Object.class, avatar, () -> events.accept("logout " + name)));
  }

  private static CompletionStage<LoginResult<?>> done(LoginResult<?> result) {
    return CompletableFuture.completedFuture(result);
  }

  /** test_pb's {@code MyPerspective}: its remote methods are {@code perspective_} methods. */
  static final class MyPerspective implements Avatar {
    private final String name;

    MyPerspective(String name) {
      this.name = name;
    }

    String name() {
      return name;
    }

    @Remote
    public MyView getViewPoint() {
      return VIEW;
    }

    @Remote
    public SecretCopy getSecret() {
      return new SecretCopy();
    }

    @Remote
    public int add(int a, int b) {
      return a + b;
    }

    /** An avatar is never sent but through login: refused, as Twisted refuses a pb.Avatar. */
    @Remote
    public MyPerspective getAvatar() {
      return this;
    }
  }

  /** test_pb's {@code MyView}: the caller's perspective comes first, injected by the server. */
  static final class MyView implements Viewable {
    @Remote
    public boolean check(Object user) {
      return user instanceof MyPerspective;
    }

    @Remote
    public String whoami(MyPerspective user) {
      return user.name();
    }
  }

  /**
   * test_pb's {@code NonSubclassingPerspective}: neither an Avatar nor a Referenceable. Twisted's
   * version answers every message through {@code perspectiveMessageReceived}; pb4j has no such
   * catch-all, so the one name the suite calls is a method here.
   */
  static final class NonSubclassingPerspective {
    @Remote("ANYTHING")
    public Tuple anything(@KeywordArguments Map<String, Object> kwargs, Object... args) {
      return Tuple.of("ANYTHING", Tuple.of(args), kwargs);
    }
  }

  /** test_pb's {@code Echoer}: a plain Referenceable handed out as the anonymous avatar. */
  static final class Echoer implements Referenceable {
    @Remote
    public @Nullable Object echo(@Nullable Object value) {
      return value;
    }
  }
}
