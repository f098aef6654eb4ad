package io.github.pb4j.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.pb4j.PbApplicationException;
import io.github.pb4j.PbLogin;
import io.github.pb4j.PortalRoot;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteFailureException;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.testing.Lines;
import io.github.pb4j.testing.TwistedPeer;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.PbServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chat service end to end over TCP, with scripted clients. */
@Timeout(30)
class ChatServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String GROUP = "#NeedAFourth";

  private final ChatService chat = new ChatService();
  private final BlockingQueue<Long> disconnected = new LinkedBlockingQueue<>();
  private final List<PbClient> clients = new ArrayList<>();
  private PbServer server;

  /** A client's mind: records what the server prints, or fails every print if told to. */
  public static final class Mind implements Referenceable {
    final Lines heard = new Lines();
    final boolean broken;

    Mind(boolean broken) {
      this.broken = broken;
    }

    @Remote
    public void print(String message) {
      if (broken) {
        throw new PbApplicationException("this terminal is on fire");
      }
      heard.add(message);
    }
  }

  record Session(PbClient client, RemoteReference perspective, Mind mind) {
    Lines heard() {
      return mind.heard;
    }
  }

  @BeforeEach
  void startServer() {
    var checker =
        new InMemoryUsernamePasswordDatabaseDontUse()
            .addUser("alice", "1234")
            .addUser("bob", "secret")
            .addUser("carol", "fido");
    server =
        PbServer.builder()
            .host("127.0.0.1")
            .port(0)
            .rootFactory(PortalRoot.factory(chat.portal(checker)))
            .onConnection(
                broker -> broker.notifyOnDisconnect(() -> disconnected.add(broker.connectionId())))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    clients.forEach(PbClient::close);
    server.close();
  }

  @Test
  void threeMembersTalkRefuseMattressesAndSurviveADisconnect() throws Exception {
    Session alice = login("alice", "1234");
    Session bob = login("bob", "secret");
    Session carol = login("carol", "fido");
    RemoteReference aliceGroup = join(alice, GROUP, false);
    RemoteReference bobGroup = join(bob, GROUP, null);
    RemoteReference carolGroup = join(carol, GROUP, null);

    await(aliceGroup.callRemote("send", "anyone for bridge?"));
    for (Session s : List.of(alice, bob, carol)) {
      assertThat(s.heard().await("<alice> says: anyone for bridge?"::equals, WAIT)).isNotNull();
    }

    // alice created the group without mattresses: bob's message is refused, as the seed's
    // ValueError.
    Throwable refused =
        catchThrowable(() -> await(bobGroup.callRemote("send", "my new Mattress is great")));
    assertThat(refused)
        .isInstanceOfSatisfying(
            RemoteFailureException.class,
            f -> {
              assertThat(f.check("builtins.ValueError")).isTrue();
              assertThat(f.remoteValue()).isEqualTo("Don't say that word");
            });

    await(carolGroup.callRemote("send", "count me in"));
    assertThat(bob.heard().await("<carol> says: count me in"::equals, WAIT)).isNotNull();

    // carol drops off mid-conversation: she leaves the group, the others carry on.
    carol.client().close();
    assertThat(disconnected.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
    assertThat(await(aliceGroup.callRemote("members"))).isEqualTo(List.of("alice", "bob"));
    await(bobGroup.callRemote("send", "carol has gone"));
    assertThat(alice.heard().await("<bob> says: carol has gone"::equals, WAIT)).isNotNull();
    assertThat(bob.heard().await("<bob> says: carol has gone"::equals, WAIT)).isNotNull();
    assertThat(alice.heard().snapshot())
        .containsExactly(
            "<alice> says: anyone for bridge?",
            "<carol> says: count me in",
            "<bob> says: carol has gone");
    assertThat(chat.onlineUsers()).containsExactly("alice", "bob");
  }

  @Test
  void everySessionOfAUserReceivesAndTheLastOneToLeaveTakesTheUserOut() throws Exception {
    Session alice1 = login("alice", "1234");
    Session alice2 = login("alice", "1234");
    Session bob = login("bob", "secret");
    join(alice1, "#g", null);
    RemoteReference bobGroup = join(bob, "#g", null);

    await(bobGroup.callRemote("send", "hi alice"));
    assertThat(alice1.heard().await("<bob> says: hi alice"::equals, WAIT)).isNotNull();
    assertThat(alice2.heard().await("<bob> says: hi alice"::equals, WAIT)).isNotNull();

    alice1.client().close();
    assertThat(disconnected.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
    assertThat(await(bobGroup.callRemote("members"))).isEqualTo(List.of("alice", "bob"));
    await(bobGroup.callRemote("send", "still there?"));
    assertThat(alice2.heard().await("<bob> says: still there?"::equals, WAIT)).isNotNull();

    alice2.client().close();
    assertThat(disconnected.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
    assertThat(await(bobGroup.callRemote("members"))).isEqualTo(List.of("bob"));
  }

  @Test
  void aFailedDeliveryDoesNotStopTheOthers() throws Exception {
    Session alice = login("alice", "1234");
    Session bob = loginWith("bob", "secret", new Mind(true));
    Session carol = loginWith("carol", "fido", null);
    RemoteReference aliceGroup = join(alice, "#g", null);
    join(bob, "#g", null);
    join(carol, "#g", null);
    Session dave = login("alice", "1234"); // A second session of alice, after the broken ones.

    await(aliceGroup.callRemote("send", "one"));
    await(aliceGroup.callRemote("send", "two"));
    assertThat(alice.heard().awaitCount(2, WAIT))
        .containsExactly("<alice> says: one", "<alice> says: two");
    assertThat(dave.heard().awaitCount(2, WAIT))
        .containsExactly("<alice> says: one", "<alice> says: two");
  }

  @Test
  void onlyMembersMaySend() throws Exception {
    Session alice = login("alice", "1234");
    Session bob = login("bob", "secret");
    RemoteReference aliceGroup = join(alice, "#g", null);
    join(bob, "#g", null);

    assertThat(await(aliceGroup.callRemote("leave"))).isEqualTo(true);
    Throwable refused = catchThrowable(() -> await(aliceGroup.callRemote("send", "hello?")));
    assertThat(refused)
        .isInstanceOfSatisfying(
            RemoteFailureException.class,
            f -> assertThat(f.remoteValue()).isEqualTo("not a member of #g"));
    assertThat(await(alice.perspective().callRemote("groups"))).isEqualTo(List.of());
    assertThat(await(bob.perspective().callRemote("groups"))).isEqualTo(List.of("#g"));
  }

  @Test
  void mattressesAreAllowedByDefault() throws Exception {
    Session alice = login("alice", "1234");
    RemoteReference group = join(alice, "#beds", null);
    await(group.callRemote("send", "mattress sale"));
    assertThat(alice.heard().await("<alice> says: mattress sale"::equals, WAIT)).isNotNull();
  }

  @Test
  void aTwistedClientPassesAllowMattressAsAKeyword() throws Exception {
    List<String> printed = TwistedPeer.runClient("chat_mattress_client.py", server.port());
    assertThat(printed)
        .containsExactly(
            "refused: builtins.ValueError Don't say that word",
            "got <bob> says: fine",
            "members ['bob']");
  }

  @Test
  void aWrongPasswordIsRefused() throws Exception {
    Throwable refused = catchThrowable(() -> login("alice", "12345"));
    assertThat(refused).isInstanceOf(UnauthorizedLoginException.class);
    assertThat(chat.onlineUsers()).isEmpty();
  }

  private Session login(String user, String password) throws Exception {
    return loginWith(user, password, new Mind(false));
  }

  private Session loginWith(String user, String password, @Nullable Mind mind) throws Exception {
    PbClient client = PbClient.builder().host("127.0.0.1").port(server.port()).build();
    clients.add(client);
    RemoteReference root = await(client.getRootObject());
    RemoteReference perspective =
        await(PbLogin.login(root, UsernamePassword.of(user, password), mind));
    return new Session(client, perspective, mind != null ? mind : new Mind(false));
  }

  private static RemoteReference join(
      Session session, String group, @Nullable Boolean allowMattress) throws Exception {
    Map<String, Object> keywords =
        allowMattress == null ? Map.of() : Map.of("allowMattress", allowMattress);
    return (RemoteReference)
        await(session.perspective().callRemote("joinGroup", List.of(group), keywords));
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
