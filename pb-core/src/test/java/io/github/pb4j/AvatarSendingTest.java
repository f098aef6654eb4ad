package io.github.pb4j;

import static io.github.pb4j.testing.Futures.await;
import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.jelly.InsecureJellyException;
import io.github.pb4j.jelly.JellyRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An avatar reaches its own client only through login: sent any other way (a result, an argument,
 * inside a list, a copy's or a cache's state) it is refused, as Twisted refuses a {@code
 * pb.Avatar} ("deemed insecure"). Otherwise one user could act as another.
 */
@Timeout(20)
class AvatarSendingTest {
  private final List<LoopbackPair> pairs = new ArrayList<>();
  private final Map<String, User> online = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    pairs.forEach(LoopbackPair::close);
  }

  /** A message whose author is the sender's avatar itself: an avatar inside a copy's state. */
  public static final class Message implements Copyable {
    final Object author;

    Message(Object author) {
      this.author = author;
    }

    @Override
    public String copyTypeName() {
      return "test.Message";
    }

    @Override
    public Object stateToCopyFor(@Nullable Object perspective) {
      return Map.of("author", author);
    }
  }

  /** A cache whose state names the avatar. */
  public static final class Presence implements Cacheable {
    final Object who;

    Presence(Object who) {
      this.who = who;
    }

    @Override
    public String cacheTypeName() {
      return "test.Presence";
    }

    @Override
    public Object stateToCacheAndObserveFor(@Nullable Object perspective, RemoteCacheObserver observer) {
      return Map.of("who", who);
    }
  }

  /** What an application shares on purpose: a Referenceable made for it. */
  public static final class Card implements Referenceable {
    final String name;

    Card(String name) {
      this.name = name;
    }

    @Remote
    public String name() {
      return name;
    }
  }

  public final class User implements Avatar {
    final String name;
    final @Nullable Object mind;
    final List<String> posts = new ArrayList<>();

    User(String name, @Nullable Object mind) {
      this.name = name;
      this.mind = mind;
    }

    @Remote
    public List<User> online() {
      return List.copyOf(online.values());
    }

    @Remote
    public User self() {
      return this;
    }

    @Remote
    public Map<String, Object> nested() {
      return Map.of("users", List.of(Map.of("who", online.get("bob"))));
    }

    @Remote
    public Message message() {
      return new Message(this);
    }

    @Remote
    public Presence presence() {
      return new Presence(this);
    }

    @Remote
    public List<Card> cards() {
      return online.values().stream().map(u -> new Card(u.name)).toList();
    }

    @Remote
    public void post(String text) {
      posts.add(text);
    }

    /** The server calls the client's mind with another user's avatar as argument. */
    @Remote
    public CompletableFuture<@Nullable Object> tellMind() {
      return ((RemoteReference) mind).callRemote("notify", online.get("bob"));
    }

    @Remote
    public String whoami() {
      return name;
    }
  }

  public static final class Mind implements Referenceable {
    final List<Object> notes = new ArrayList<>();

    @Remote
    public void notify(@Nullable Object note) {
      notes.add(note);
    }
  }

  private final Realm realm = new Realm() {
    @Override
    public CompletionStage<LoginResult<?>> requestAvatar(AvatarId id, @Nullable Object mind, Class<?>... interfaces) {
      User user = new User(id.username(), mind);
      online.put(user.name, user);
      return CompletableFuture.completedFuture(new LoginResult<>(Avatar.class, user, () -> online.remove(user.name)));
    }
  };

  private LoopbackPair pair() {
    Portal portal = Portal.builder().realm(realm)
        .checker(new InMemoryUsernamePasswordDatabaseDontUse().addUser("alice", "a").addUser("bob", "b"))
        .build();
    BrokerOptions server = BrokerOptions.builder()
        .registry(JellyRegistry.builder().build()).build();
    BrokerOptions client = BrokerOptions.builder()
        .registry(JellyRegistry.builder().registerReceiver("test.Message", Object.class, s -> s).build())
        .remoteCache("test.Presence", s -> new RemoteCache() {})
        .build();
    LoopbackPair p = LoopbackPair.create(PortalRoot.factory(portal), server, client);
    pairs.add(p);
    return p;
  }

  private static void assertDeemedInsecure(Throwable failure) {
    assertThat(failure).isInstanceOf(RemoteFailureException.class);
    RemoteFailureException e = (RemoteFailureException) failure;
    assertThat(e.remoteType()).isEqualTo("twisted.spread.jelly.InsecureJelly");
    assertThat(e.remoteValue()).isEqualTo("instance of class " + User.class.getName() + " deemed insecure");
  }

  /** Logs bob in on his own connection, then alice on hers; returns alice's avatar reference. */
  private RemoteReference aliceWithBobOnline() throws Exception {
    LoopbackPair bob = pair();
    await(PbLogin.login(bob.root(), UsernamePassword.of("bob", "b"), null));
    LoopbackPair alice = pair();
    return await(PbLogin.login(alice.root(), UsernamePassword.of("alice", "a"), new Mind()));
  }

  @Test
  void anAvatarInAResultIsRefusedAndNobodyActsAsAnotherUser() throws Exception {
    RemoteReference alice = aliceWithBobOnline();
    LoopbackPair p = pairs.get(1);
    p.settle(); // the challenger's release
    int exported = p.call(() -> BrokerTestAccess.exportedCount(p.server()));

    assertDeemedInsecure(failureOf(alice.callRemote("online")));

    assertThat(p.call(() -> BrokerTestAccess.exportedCount(p.server()))).isEqualTo(exported);
    assertThat(online.get("bob").posts).isEmpty();
    // The connection lives on, and alice is still herself.
    assertThat(await(alice.callRemote("whoami"))).isEqualTo("alice");
  }

  @Test
  void anAvatarReturningItselfIsRefusedToo() throws Exception {
    RemoteReference alice = aliceWithBobOnline();
    assertDeemedInsecure(failureOf(alice.callRemote("self")));
  }

  @Test
  void anAvatarDeepInsideAResultIsRefused() throws Exception {
    RemoteReference alice = aliceWithBobOnline();
    assertDeemedInsecure(failureOf(alice.callRemote("nested")));
  }

  @Test
  void anAvatarInACopysStateIsRefused() throws Exception {
    RemoteReference alice = aliceWithBobOnline();
    assertDeemedInsecure(failureOf(alice.callRemote("message")));
  }

  @Test
  void anAvatarInACachesStateIsRefusedAndNothingIsCached() throws Exception {
    RemoteReference alice = aliceWithBobOnline();
    LoopbackPair p = pairs.get(1);
    assertDeemedInsecure(failureOf(alice.callRemote("presence")));
    assertThat(p.call(() -> BrokerTestAccess.exportedCacheCount(p.server()))).isZero();
  }

  @Test
  void anAvatarAsAnArgumentOfACallToTheMindIsNotSent() throws Exception {
    RemoteReference alice = aliceWithBobOnline();
    Throwable failure = failureOf(alice.callRemote("tellMind"));
    // The server's own call failed before anything was sent; its failure is alice's answer.
    assertThat(failure).isInstanceOf(RemoteFailureException.class);
    assertThat(((RemoteFailureException) failure).remoteValue()).contains("deemed insecure");
    assertThat(await(alice.callRemote("whoami"))).isEqualTo("alice");
  }

  @Test
  void theServersOwnCallWithAnAvatarArgumentFailsLocally() throws Exception {
    aliceWithBobOnline();
    LoopbackPair p = pairs.get(1);
    RemoteReference mind = (RemoteReference) online.get("alice").mind;
    Throwable failure = failureOf(p.call(() -> mind.callRemote("notify", List.of(online.get("bob")))));
    assertThat(failure).isInstanceOf(InsecureJellyException.class)
        .hasMessageContaining("instance of class " + User.class.getName() + " deemed insecure");
  }

  @Test
  void aReferenceableMadeForSharingIsSent() throws Exception {
    RemoteReference alice = aliceWithBobOnline();
    @SuppressWarnings("unchecked")
    List<Object> cards = (List<Object>) await(alice.callRemote("cards"));
    assertThat(cards).hasSize(2).allMatch(c -> c instanceof RemoteReference);
  }

  @Test
  void anAvatarSentByAClientIsRefusedToo() throws Exception {
    aliceWithBobOnline();
    LoopbackPair p = pairs.get(1);
    RemoteReference alice = p.root(); // any reference will do: the argument never leaves
    Throwable failure = failureOf(alice.callRemote("login", online.get("bob")));
    assertThat(failure).isInstanceOf(InsecureJellyException.class);
  }
}
