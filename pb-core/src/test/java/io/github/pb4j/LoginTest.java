package io.github.pb4j;

import static io.github.pb4j.testing.Futures.await;
import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.cred.AllowAnonymousAccess;
import io.github.pb4j.cred.Anonymous;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.CredentialsChecker;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.LoginThrottle;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.cred.UnhandledCredentialsException;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.jelly.Tuple;
import io.netty.util.concurrent.EventExecutor;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class LoginTest {
  private final List<LoopbackPair> pairs = new ArrayList<>();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    pairs.forEach(LoopbackPair::close);
  }

  public static final class Board implements Viewable {
    @Remote
    public String whoami(User viewer) {
      return "viewed by " + viewer.name;
    }
  }

  public static final class User implements Avatar {
    final String name;
    final @Nullable Object mind;
    final Board board;

    User(String name, @Nullable Object mind, Board board) {
      this.name = name;
      this.mind = mind;
      this.board = board;
    }

    @Remote
    public String echo(String text) {
      return name + ":" + text;
    }

    @Remote
    public Board board() {
      return board;
    }

    @Remote
    public CompletableFuture<@Nullable Object> poke() {
      return ((RemoteReference) mind).callRemote("notify", "poked " + name);
    }
  }

  public static final class Mind implements Referenceable {
    final List<String> notes = new CopyOnWriteArrayList<>();

    @Remote
    public String notify(String note) {
      notes.add(note);
      return "ack";
    }
  }

  private final Board board = new Board();

  private final Realm realm = new Realm() {
    @Override
    public CompletionStage<LoginResult<?>> requestAvatar(AvatarId id, @Nullable Object mind, Class<?>... interfaces) {
      String name = id.isAnonymous() ? "anonymous" : id.username();
      events.add("login " + name);
      return CompletableFuture.completedFuture(
          new LoginResult<>(Avatar.class, new User(name, mind, board), () -> events.add("logout " + name)));
    }
  };

  private Portal portal(boolean anonymous) {
    InMemoryUsernamePasswordDatabaseDontUse users = new InMemoryUsernamePasswordDatabaseDontUse();
    users.addUser("alice", "secret");
    users.addUser("bob", "hunter2");
    Portal.Builder b = Portal.builder().realm(realm).checker(users);
    if (anonymous) {
      b.checker(new AllowAnonymousAccess());
    }
    return b.build();
  }

  private LoopbackPair pair(Portal portal) {
    LoopbackPair p = LoopbackPair.create(PortalRoot.factory(portal));
    pairs.add(p);
    return p;
  }

  @Test
  void logsInCallsTheAvatarAndTheAvatarCallsTheMind() throws Exception {
    LoopbackPair p = pair(portal(false));
    Mind mind = new Mind();
    RemoteReference avatar = await(PbLogin.login(p.root(), UsernamePassword.of("alice", "secret"), mind));
    assertThat(await(avatar.callRemote("echo", "hi"))).isEqualTo("alice:hi");
    assertThat(await(avatar.callRemote("poke"))).isEqualTo("ack");
    assertThat(mind.notes).containsExactly("poked alice");
    assertThat(events).containsExactly("login alice");
  }

  @Test
  void viewableReceivesTheCallersPerspective() throws Exception {
    LoopbackPair p = pair(portal(false));
    RemoteReference alice = await(PbLogin.login(p.root(), UsernamePassword.of("alice", "secret"), null));
    RemoteReference bob = await(PbLogin.login(p.root(), UsernamePassword.of("bob", "hunter2"), null));
    RemoteReference boardForAlice = (RemoteReference) await(alice.callRemote("board"));
    RemoteReference boardForBob = (RemoteReference) await(bob.callRemote("board"));
    assertThat(await(boardForAlice.callRemote("whoami"))).isEqualTo("viewed by alice");
    assertThat(await(boardForBob.callRemote("whoami"))).isEqualTo("viewed by bob");
    assertThat(boardForAlice.luid()).isNotEqualTo(boardForBob.luid());
    // The same viewable sent again to the same perspective keeps its luid.
    assertThat(((RemoteReference) await(alice.callRemote("board"))).luid()).isEqualTo(boardForAlice.luid());
  }

  @Test
  void wrongPasswordAndUnknownUserFailAsUnauthorizedLogin() throws Exception {
    LoopbackPair p = pair(portal(false));
    assertThat(failureOf(PbLogin.login(p.root(), UsernamePassword.of("alice", "WRONG"), null)))
        .isInstanceOf(UnauthorizedLoginException.class)
        .hasCauseInstanceOf(RemoteFailureException.class);
    assertThat(failureOf(PbLogin.login(p.root(), UsernamePassword.of("mallory", "x"), null)))
        .isInstanceOf(UnauthorizedLoginException.class);
    assertThat(p.client().isConnected()).isTrue();
    assertThat(events).isEmpty();
  }

  @Test
  void challengerTakesOneResponse() throws Exception {
    LoopbackPair p = pair(portal(false));
    Tuple answer = (Tuple) await(p.root().callRemote("login", ByteString.utf8("alice")));
    RemoteReference challenger = (RemoteReference) answer.get(1);
    byte[] challenge = ((ByteString) answer.get(0)).toByteArray();
    byte[] wrong = io.github.pb4j.cred.Md5ChallengeCredentials.respond("WRONG".getBytes(), challenge);
    byte[] right = io.github.pb4j.cred.Md5ChallengeCredentials.respond("secret".getBytes(), challenge);
    failureOf(challenger.callRemote("respond", ByteString.of(wrong), null));
    RemoteFailureException second =
        (RemoteFailureException) failureOf(challenger.callRemote("respond", ByteString.of(right), null));
    assertThat(second.remoteType()).isEqualTo("twisted.cred.error.UnauthorizedLogin");
  }

  @Test
  void usernameSentAsTextIsAccepted() throws Exception {
    LoopbackPair p = pair(portal(false));
    Tuple answer = (Tuple) await(p.root().callRemote("login", "alice"));
    RemoteReference challenger = (RemoteReference) answer.get(1);
    byte[] right = io.github.pb4j.cred.Md5ChallengeCredentials.respond(
        "secret".getBytes(), ((ByteString) answer.get(0)).toByteArray());
    RemoteReference avatar = (RemoteReference) await(challenger.callRemote("respond", ByteString.of(right), null));
    assertThat(await(avatar.callRemote("echo", "x"))).isEqualTo("alice:x");
  }

  @Test
  void anonymousLoginOnlyWithAnAnonymousChecker() throws Exception {
    LoopbackPair refused = pair(portal(false));
    Throwable e = failureOf(PbLogin.login(refused.root(), Anonymous.INSTANCE, null));
    assertThat(e).isInstanceOf(UnhandledCredentialsException.class)
        .hasMessage("No checker for twisted.cred.credentials.IAnonymous");
    LoopbackPair permitted = pair(portal(true));
    RemoteReference avatar = await(PbLogin.login(permitted.root(), Anonymous.INSTANCE, null));
    assertThat(await(avatar.callRemote("echo", "x"))).isEqualTo("anonymous:x");
    // Several checkers: authenticated login still works beside the anonymous checker.
    RemoteReference alice = await(PbLogin.login(permitted.root(), UsernamePassword.of("alice", "secret"), null));
    assertThat(await(alice.callRemote("echo", "y"))).isEqualTo("alice:y");
  }

  @Test
  void aDroppedAvatarReferenceDoesNotLogTheUserOut() throws Exception {
    LoopbackPair p = pair(portal(false));
    // The avatar and a reference nobody keeps (the board) are dropped at once; once the
    // collector has taken the board, it has had every chance to take the avatar too.
    List<WeakReference<RemoteReference>> probes = loginAndDropEverything(p);
    WeakReference<RemoteReference> avatarProbe = probes.get(0);
    WeakReference<RemoteReference> boardProbe = probes.get(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (boardProbe.get() != null && System.nanoTime() < deadline) {
      System.gc();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    assertThat(boardProbe.get()).as("the collector ran and took the board").isNull();
    p.settle();
    assertThat(events).containsExactly("login alice");
    RemoteReference avatar = avatarProbe.get();
    assertThat(avatar).as("the connection keeps the avatar").isNotNull();
    assertThat(await(avatar.callRemote("echo", "still here"))).isEqualTo("alice:still here");

    // The program ends the session: then the server logs the user out, once.
    avatar.release();
    p.settle();
    assertThat(events).containsExactly("login alice", "logout alice");
  }

  @Test
  void theConnectionLetsGoOfItsAvatarsWhenItEnds() throws Exception {
    LoopbackPair p = pair(portal(false));
    WeakReference<RemoteReference> avatarProbe = loginAndDropEverything(p).get(0);
    p.disconnect();
    assertThat(events).containsExactly("login alice", "logout alice");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (avatarProbe.get() != null && System.nanoTime() < deadline) {
      System.gc();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    assertThat(avatarProbe.get()).as("a closed connection holds no avatar").isNull();
  }

  /** Logs in as alice, fetches the board, keeps neither; returns weak probes of both. */
  private static List<WeakReference<RemoteReference>> loginAndDropEverything(LoopbackPair p)
      throws Exception {
    RemoteReference avatar = await(PbLogin.login(p.root(), UsernamePassword.of("alice", "secret"), null));
    RemoteReference board = (RemoteReference) await(avatar.callRemote("board"));
    return List.of(new WeakReference<>(avatar), new WeakReference<>(board));
  }

  @Test
  void logoutRunsOnceWhenTheAvatarIsReleased() throws Exception {
    LoopbackPair p = pair(portal(false));
    RemoteReference avatar = await(PbLogin.login(p.root(), UsernamePassword.of("alice", "secret"), null));
    avatar.release();
    p.settle();
    assertThat(events).containsExactly("login alice", "logout alice");
    p.disconnect();
    assertThat(events).containsExactly("login alice", "logout alice");
  }

  @Test
  void logoutRunsOnceAtDisconnectForEveryLoginOfTheConnection() throws Exception {
    LoopbackPair p = pair(portal(false));
    List<CompletableFuture<RemoteReference>> logins = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      logins.add(PbLogin.login(p.root(), UsernamePassword.of("alice", "secret"), null));
    }
    logins.add(PbLogin.login(p.root(), UsernamePassword.of("bob", "hunter2"), null));
    List<Object> luids = new ArrayList<>();
    for (CompletableFuture<RemoteReference> f : logins) {
      luids.add(await(f).luid());
    }
    assertThat(luids).doesNotHaveDuplicates();
    p.disconnect();
    assertThat(events.stream().filter(e -> e.startsWith("logout"))).hasSize(4);
    assertThat(events).contains("logout bob");
  }

  @Test
  void loginWithoutAnAnswerStillLogsOutAtDisconnect() throws Exception {
    LoopbackPair p = pair(portal(false));
    Tuple answer = (Tuple) await(p.root().callRemote("login", ByteString.utf8("alice")));
    RemoteReference challenger = (RemoteReference) answer.get(1);
    byte[] right = io.github.pb4j.cred.Md5ChallengeCredentials.respond(
        "secret".getBytes(), ((ByteString) answer.get(0)).toByteArray());
    await(challenger.callRemoteNoAnswer("respond", ByteString.of(right), null));
    p.settle();
    assertThat(events).containsExactly("login alice");
    p.disconnect();
    assertThat(events).containsExactly("login alice", "logout alice");
  }

  @Test
  void throttleRefusesAfterRepeatedFailures() throws Exception {
    // The delay after the budget is long enough that the test never outlives it.
    LoginThrottle throttle = LoginThrottle.builder().maxFailures(2)
        .initialDelay(java.time.Duration.ofHours(1)).maxDelay(java.time.Duration.ofHours(1)).build();
    LoopbackPair p = LoopbackPair.create(PortalRoot.factory(portal(false), throttle));
    pairs.add(p);
    failureOf(PbLogin.login(p.root(), UsernamePassword.of("alice", "bad"), null));
    failureOf(PbLogin.login(p.root(), UsernamePassword.of("alice", "bad"), null));
    assertThat(failureOf(PbLogin.login(p.root(), UsernamePassword.of("alice", "secret"), null)))
        .isInstanceOf(UnauthorizedLoginException.class);
    RemoteReference bob = await(PbLogin.login(p.root(), UsernamePassword.of("bob", "hunter2"), null));
    assertThat(await(bob.callRemote("echo", "z"))).isEqualTo("bob:z");
  }

  @Test
  void aTooLongUsernameFailsAsUnauthorizedLoginOnTheWireAndTheConnectionLives() throws Exception {
    LoopbackPair p = pair(portal(false));
    String tooLong = "a".repeat(PortalRoot.MAX_USERNAME_BYTES + 1);

    Throwable refused = failureOf(PbLogin.login(p.root(), UsernamePassword.of(tooLong, "x"), null));

    assertThat(refused).isInstanceOf(UnauthorizedLoginException.class);
    assertThat(((RemoteFailureException) refused.getCause()).remoteType())
        .isEqualTo("twisted.cred.error.UnauthorizedLogin");
    RemoteReference alice = await(PbLogin.login(p.root(), UsernamePassword.of("alice", "secret"), null));
    assertThat(await(alice.callRemote("echo", "still here"))).isEqualTo("alice:still here");
  }

  /** A realm that records the thread and the log context each login runs in. */
  private static Realm recordingRealm(List<String> where, EventExecutor loop) {
    return (id, mind, interfaces) -> {
      where.add(loop.inEventLoop() + " " + org.slf4j.MDC.get(LogContext.CONNECTION));
      return CompletableFuture.completedFuture(
          new LoginResult<>(Avatar.class, new User(id.username(), mind, new Board()), () -> {}));
    };
  }

  @Test
  void theRealmRunsOnTheConnectionsLoopInItsLogContextWhateverThreadTheCheckerAnswersOn()
      throws Exception {
    InMemoryUsernamePasswordDatabaseDontUse users = new InMemoryUsernamePasswordDatabaseDontUse();
    users.addUser("alice", "secret");
    // A checker that answers later, from a thread of its own, as a user store does.
    CredentialsChecker elsewhere = new CredentialsChecker() {
      @Override
      public java.util.Set<Class<? extends io.github.pb4j.cred.Credentials>> credentialInterfaces() {
        return users.credentialInterfaces();
      }

      @Override
      public CompletionStage<AvatarId> requestAvatarId(io.github.pb4j.cred.Credentials credentials) {
        return CompletableFuture.supplyAsync(
            () -> users.requestAvatarId(credentials).join(),
            CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS));
      }
    };
    List<String> where = new CopyOnWriteArrayList<>();
    for (CredentialsChecker checker : List.of(users, elsewhere)) {
      Function<Broker, Object> roots = broker -> PortalRoot.factory(
          Portal.builder().realm(recordingRealm(where, broker.executor())).checker(checker).build())
          .apply(broker);
      LoopbackPair p = LoopbackPair.create(roots);
      pairs.add(p);
      RemoteReference alice = await(PbLogin.login(p.root(), UsernamePassword.of("alice", "secret"), null));
      assertThat(await(alice.callRemote("echo", "hi"))).isEqualTo("alice:hi");
      assertThat(where).last().isEqualTo("true " + p.server().connectionId());
    }
    assertThat(where).hasSize(2);
  }
}
