package io.github.pb4j;

import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.jelly.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer's value that shares its parts (a list holding the same list twice, 30 levels deep: a few
 * hundred bytes on the wire, 2^30 leaves as a tree) costs the receiver time linear in the wire
 * bytes: a type error about it, before login, is answered at once with a short message.
 */
@Timeout(20)
class SharedValueArgumentsTest {
  private static final Duration FAST = Duration.ofSeconds(2);
  private final List<LoopbackPair> pairs = new ArrayList<>();

  @AfterEach
  void close() {
    pairs.forEach(LoopbackPair::close);
  }

  /** {@code x0 = [1]; x(k+1) = [xk, xk]}. */
  private static List<Object> sharedLists(int depth) {
    List<Object> x = new ArrayList<>(List.of(1));
    for (int i = 0; i < depth; i++) {
      x = new ArrayList<>(List.of(x, x));
    }
    return x;
  }

  /** {@code t0 = (1,); t(k+1) = (tk, tk)}. */
  private static Tuple sharedTuples(int depth) {
    Tuple t = Tuple.of(1);
    for (int i = 0; i < depth; i++) {
      t = Tuple.of(t, t);
    }
    return t;
  }

  private LoopbackPair portalPair() {
    InMemoryUsernamePasswordDatabaseDontUse users = new InMemoryUsernamePasswordDatabaseDontUse();
    users.addUser("alice", "secret");
    Realm realm = (avatarId, mind, interfaces) ->
        CompletableFuture.completedFuture(new LoginResult<>(Object.class, new Object(), () -> {}));
    LoopbackPair p = LoopbackPair.create(PortalRoot.factory(Portal.builder().realm(realm).checker(users).build()));
    pairs.add(p);
    return p;
  }

  @Test
  void aChallengerAnswersASharedValueOfTheWrongTypeAtOnce() throws Exception {
    LoopbackPair p = portalPair();
    Tuple answer = (Tuple) p.root().callRemote("login", ByteString.utf8("alice")).get(5, TimeUnit.SECONDS);
    RemoteReference challenger = (RemoteReference) answer.get(1);
    List<Object> hostile = sharedLists(30);
    assertTimeoutPreemptively(FAST, () -> {
      RemoteFailureException e =
          failureOf(
              challenger.callRemote("respond", new Object[] {hostile, null}),
              RemoteFailureException.class);
      assertThat(e.remoteType()).isEqualTo("builtins.TypeError");
      assertThat(e.getMessage()).startsWith("builtins.TypeError: argument 'response': list [[[[").hasSizeLessThan(200);
    });
    assertThat(p.client().isConnected()).isTrue();
    // And the challenger still takes its one response.
    byte[] right = io.github.pb4j.cred.Md5ChallengeCredentials.respond(
        "secret".getBytes(), ((ByteString) answer.get(0)).toByteArray());
    assertThat(challenger.callRemote("respond", ByteString.of(right), null).get(5, TimeUnit.SECONDS))
        .isInstanceOf(RemoteReference.class);
  }

  @Test
  void aSetOfSharedTuplesArrivesAtOnce() throws Exception {
    LoopbackPair p = portalPair();
    Set<Object> set = new LinkedHashSet<>();
    set.add(sharedTuples(30));
    assertTimeoutPreemptively(FAST, () -> {
      RemoteFailureException e =
          failureOf(p.root().callRemote("login", set), RemoteFailureException.class);
      assertThat(e.remoteType()).isEqualTo("builtins.TypeError");
      assertThat(e.getMessage()).hasSizeLessThan(200);
    });
    assertThat(p.client().isConnected()).isTrue();
  }

  @Test
  void aLongKeywordNameIsCutInTheError() throws Exception {
    LoopbackPair p = portalPair();
    String name = "k".repeat(100_000);
    RemoteFailureException e =
        failureOf(
            p.root().callRemoteWithKeywords("login", List.of("alice"), Map.of(name, 1)),
            RemoteFailureException.class);
    assertThat(e.getMessage())
        .isEqualTo("builtins.TypeError: login() got an unexpected keyword argument '" + "k".repeat(57) + "...'");
  }

  @Test
  void loginStillWorks() throws Exception {
    LoopbackPair p = portalPair();
    assertThat(PbLogin.login(p.root(), UsernamePassword.of("alice", "secret"), null).get(5, TimeUnit.SECONDS))
        .isInstanceOf(RemoteReference.class);
  }
}
