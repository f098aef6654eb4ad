package io.github.pb4j.examples.chat;

import static io.github.pb4j.BrokerTestAccess.onLoop;
import static io.github.pb4j.testing.Futures.await;
import static io.github.pb4j.testing.Futures.awaitUnwrapped;
import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.pb4j.Broker;
import io.github.pb4j.BrokerTestAccess;
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
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.PbServer;
import io.github.pb4j.testing.Lines;
import io.github.pb4j.testing.TwistedPeer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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

  private ChatService chat = new ChatService();
  private final BlockingQueue<Long> disconnected = new LinkedBlockingQueue<>();
  private final List<Broker> serverBrokers = new CopyOnWriteArrayList<>();
  private final List<PbClient> clients = new ArrayList<>();
  private PbServer server;

  /** A client's mind: records what the server prints, or fails every print if told to. */
  public static class Mind implements Referenceable {
    final Lines heard = new Lines();
    final boolean broken;

    Mind(boolean broken) {
      this.broken = broken;
    }

    @Remote
    public @Nullable CompletableFuture<@Nullable Void> print(String message) {
      if (broken) {
        throw new PbApplicationException("this terminal is on fire");
      }
      heard.add(message);
      return null;
    }
  }

  /** A mind whose prints are not answered until told to: a client that stopped answering. */
  public static final class StuckMind extends Mind {
    private final List<CompletableFuture<@Nullable Void>> unanswered = new ArrayList<>();
    private boolean answering;

    StuckMind() {
      super(false);
    }

    @Override
    @Remote
    public synchronized CompletableFuture<@Nullable Void> print(String message) {
      heard.add(message);
      CompletableFuture<@Nullable Void> answer = new CompletableFuture<>();
      if (answering) {
        answer.complete(null);
      } else {
        unanswered.add(answer);
      }
      return answer;
    }

    synchronized void answerAll() {
      answering = true;
      unanswered.forEach(a -> a.complete(null));
      unanswered.clear();
    }
  }

  record Session(PbClient client, RemoteReference perspective, Mind mind) {
    Lines heard() {
      return mind.heard;
    }
  }

  /** Serves {@code service} instead, on a new server. */
  private void restartWith(ChatService service) {
    server.close();
    chat = service;
    startServer();
  }

  @BeforeEach
  void startServer() {
    var checker =
        new InMemoryUsernamePasswordDatabaseDontUse()
            .addUser("alice", "1234")
            .addUser("bob", "secret")
            .addUser("carol", "fido")
            .addUser("eve\u001b[8m\u202e", "x");
    server =
        PbServer.builder()
            .host("127.0.0.1")
            .port(0)
            .rootFactory(PortalRoot.factory(chat.portal(checker)))
            .onConnection(
                broker -> {
                  serverBrokers.add(broker);
                  broker.notifyOnDisconnect(() -> disconnected.add(broker.connectionId()));
                })
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
        failureOf(bobGroup.callRemote("send", "my new Mattress is great"));
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
    Throwable refused = failureOf(aliceGroup.callRemote("send", "hello?"));
    assertThat(refused)
        .isInstanceOfSatisfying(
            RemoteFailureException.class,
            f -> assertThat(f.remoteValue()).isEqualTo("you left #g"));
    assertThat(await(alice.perspective().callRemote("groups"))).isEqualTo(List.of());
    assertThat(await(bob.perspective().callRemote("groups"))).isEqualTo(List.of("#g"));
  }

  @Test
  void controlAndBidiCharactersReachMembersAsVisibleEscapes() throws Exception {
    Session alice = login("alice", "1234");
    Session bob = login("bob", "secret");
    RemoteReference aliceGroup = join(alice, "#g", null);
    join(bob, "#g", null);

    await(
        aliceGroup.callRemote(
            "send", "hi\r\n<bob> says: x\u001b[2J\u202eevil\u2066\u0085\u2028\u200f\tend"));
    String expected =
        "<alice> says: hi\\r\\n<bob> says: x\\x1b[2J\\u202eevil\\u2066\\x85\\u2028\\u200f\\tend";
    assertThat(bob.heard().awaitCount(1, WAIT)).containsExactly(expected);
  }

  @Test
  void namesAreShownNeutralisedAndGroupNamesMustBeNeutral() throws Exception {
    Session eve = login("eve\u001b[8m\u202e", "x");
    Session bob = login("bob", "secret");
    RemoteReference eveGroup = join(eve, "#g", null);
    join(bob, "#g", null);

    await(eveGroup.callRemote("send", "hi"));
    assertThat(bob.heard().awaitCount(1, WAIT)).containsExactly("<eve\\x1b[8m\\u202e> says: hi");
    assertThat(await(eveGroup.callRemote("members")))
        .isEqualTo(List.of("eve\\x1b[8m\\u202e", "bob"));

    for (String name : List.of("#a\u202eb", "#a\u2028b", "#a\u200bb", "#a\nb")) {
      Throwable refused = catchThrowable(() -> join(bob, name, null));
      assertThat(refused)
          .as(name)
          .isInstanceOfSatisfying(
              RemoteFailureException.class,
              f -> assertThat(f.remoteValue()).asString().startsWith("group name: "));
    }
    assertThat(chat.groupNames()).containsExactly("#g");
  }

  @Test
  void aGroupReferenceStopsAnsweringOnceItsHolderLeft() throws Exception {
    Session alice = login("alice", "1234");
    Session bob = login("bob", "secret");
    RemoteReference aliceGroup = join(alice, "#g", null);
    RemoteReference bobGroup = join(bob, "#g", null);

    assertThat(await(aliceGroup.callRemote("leave"))).isEqualTo(true);
    for (String method : List.of("members", "send", "leave")) {
      Object[] args = method.equals("send") ? new Object[] {"still here?"} : new Object[0];
      Throwable refused = failureOf(aliceGroup.callRemote(method, args));
      assertThat(refused)
          .as(method)
          .isInstanceOfSatisfying(
              RemoteFailureException.class,
              f -> assertThat(f.remoteValue()).isEqualTo("you left #g"));
    }
    assertThat(await(bobGroup.callRemote("members"))).isEqualTo(List.of("bob"));

    // Joining again gives alice her view back.
    RemoteReference again = join(alice, "#g", null);
    assertThat(await(again.callRemote("members"))).isEqualTo(List.of("bob", "alice"));
  }

  @Test
  void aGroupReferenceStopsAnsweringOnceItsSessionLoggedOut() throws Exception {
    Session alice1 = login("alice", "1234");
    Session alice2 = login("alice", "1234");
    Session bob = login("bob", "secret");
    RemoteReference alice1Group = join(alice1, "#g", null);
    join(alice2, "#g", null);
    RemoteReference bobGroup = join(bob, "#g", null);

    // alice's first session logs out (releases its avatar) but keeps its connection and the
    // group reference; her second session keeps her in the group. The connection handles the
    // release before the calls made after it.
    alice1.perspective().release();
    for (String method : List.of("members", "send")) {
      Object[] args = method.equals("send") ? new Object[] {"as alice"} : new Object[0];
      Throwable refused = failureOf(alice1Group.callRemote(method, args));
      assertThat(refused)
          .as(method)
          .isInstanceOfSatisfying(
              RemoteFailureException.class,
              f -> assertThat(f.remoteValue()).isEqualTo("you logged out"));
    }
    assertThat(await(bobGroup.callRemote("members"))).isEqualTo(List.of("alice", "bob"));
    await(bobGroup.callRemote("send", "hi"));
    assertThat(alice2.heard().await("<bob> says: hi"::equals, WAIT)).isNotNull();
    assertThat(alice1.heard().snapshot()).isEmpty();
  }

  @Test
  void aMemberWhoseMindNeverAnswersGetsABoundedQueueAndANoticeWhenSheCatchesUp() throws Exception {
    StuckMind stuck = new StuckMind();
    Session alice = loginWith("alice", "1234", stuck);
    Session bob = login("bob", "secret");
    join(alice, "#g", null);
    RemoteReference bobGroup = join(bob, "#g", null);
    Broker aliceBroker = serverBrokers.get(0);

    int sent = 3 * ChatService.MAX_UNANSWERED;
    for (int i = 0; i < sent; i++) {
      await(bobGroup.callRemote("send", "message " + i));
    }
    // bob gets every message promptly; alice's connection holds no more than the bound.
    assertThat(bob.heard().awaitCount(sent, WAIT))
        .hasSize(sent)
        .endsWith("<bob> says: message " + (sent - 1));
    assertThat(stuck.heard.awaitCount(ChatService.MAX_UNANSWERED, WAIT))
        .hasSize(ChatService.MAX_UNANSWERED);
    assertThat(onLoop(aliceBroker, () -> BrokerTestAccess.pendingCount(aliceBroker)))
        .isEqualTo(ChatService.MAX_UNANSWERED);

    // alice's client answers again: she is told how many messages she missed.
    stuck.answerAll();
    int dropped = sent - ChatService.MAX_UNANSWERED;
    assertThat(stuck.heard.awaitCount(ChatService.MAX_UNANSWERED + 1, WAIT))
        .startsWith("<bob> says: message 0")
        .endsWith("* " + dropped + " messages to you were dropped: your client was not keeping up");
    await(bobGroup.callRemote("send", "welcome back"));
    assertThat(stuck.heard.await("<bob> says: welcome back"::equals, WAIT)).isNotNull();
  }

  @Test
  void aMemberWhoseClientStopsReadingDoesNotGrowTheServerOrSlowTheOthers() throws Exception {
    restartWith(new ChatService(64)); // A window the 4 MB below overflows before the transport.
    stallAliceWhileBobSends(1000, 64); // About 4 MB in all.
  }

  @Test
  void theConnectionsBufferBoundsWhatIsQueuedForAMemberWhoStopsReading() throws Exception {
    restartWith(new ChatService(Integer.MAX_VALUE)); // Only the transport's bound is left.
    // About 16 MB, far past the socket buffers and the 1 MiB high water mark; at most half of it
    // may wait for alice.
    stallAliceWhileBobSends(4000, 2000);
  }

  /**
   * alice's client stops reading (its only event loop is busy) while bob sends {@code sent}
   * messages of about 4 KB: bob gets them all, the server queues at most {@code maxQueued} for
   * alice; once her client reads again she gets what was queued, then the notice of the rest.
   */
  private void stallAliceWhileBobSends(int sent, int maxQueued) throws Exception {
    EventLoopGroup aliceLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    CountDownLatch resume = new CountDownLatch(1);
    PbClient aliceClient =
        PbClient.builder().host("127.0.0.1").port(server.port()).eventLoopGroup(aliceLoop).build();
    try {
      Mind aliceMind = new Mind(false);
      RemoteReference alicePerspective =
          await(
              PbLogin.login(
                  await(aliceClient.getRootObject()),
                  UsernamePassword.of("alice", "1234"),
                  aliceMind));
      Session alice = new Session(aliceClient, alicePerspective, aliceMind);
      Session bob = login("bob", "secret");
      join(alice, "#g", null);
      RemoteReference bobGroup = join(bob, "#g", null);
      Broker aliceBroker = serverBrokers.get(0);

      CountDownLatch stopped = new CountDownLatch(1);
      aliceLoop.execute(
          () -> {
            stopped.countDown();
            try {
              resume.await(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      assertThat(stopped.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      String text = "x".repeat(ChatService.MAX_MESSAGE - 20);
      for (int i = 0; i < sent; i++) {
        await(bobGroup.callRemote("send", i + " " + text));
      }
      assertThat(bob.heard().awaitCount(sent, WAIT).size()).isEqualTo(sent);
      int queued = onLoop(aliceBroker, () -> BrokerTestAccess.pendingCount(aliceBroker));
      assertThat(queued).isBetween(1, maxQueued);

      resume.countDown();
      List<String> heard = aliceMind.heard.awaitCount(queued + 1, WAIT);
      assertThat(heard.size()).isEqualTo(queued + 1);
      assertThat(heard.get(queued))
          .isEqualTo(
              "* "
                  + (sent - queued)
                  + " messages to you were dropped: your client was not keeping up");
    } finally {
      resume.countDown();
      aliceClient.close();
      aliceLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
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
    RemoteReference root = awaitUnwrapped(client.getRootObject());
    RemoteReference perspective =
        awaitUnwrapped(PbLogin.login(root, UsernamePassword.of(user, password), mind));
    return new Session(client, perspective, mind != null ? mind : new Mind(false));
  }

  private static RemoteReference join(
      Session session, String group, @Nullable Boolean allowMattress) throws Exception {
    Map<String, Object> keywords =
        allowMattress == null ? Map.of() : Map.of("allowMattress", allowMattress);
    return (RemoteReference)
        awaitUnwrapped(session.perspective().callRemoteWithKeywords("joinGroup", List.of(group), keywords));
  }

}
