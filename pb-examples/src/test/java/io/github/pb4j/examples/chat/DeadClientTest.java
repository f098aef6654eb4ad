package io.github.pb4j.examples.chat;

import static io.github.pb4j.testing.Futures.await;
import static io.github.pb4j.testing.Futures.awaitUnwrapped;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.PbLogin;
import io.github.pb4j.PeerProbe;
import io.github.pb4j.PortalRoot;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.PbServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A chat client whose link turns into a black hole after login: the server's dead-peer probe
 * closes the connection, and the user is logged out, leaves her groups, and the connection's
 * disconnect callbacks run once; the others go on.
 */
@Timeout(40)
class DeadClientTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aRawClientThatLogsInJoinsAndGoesSilentIsProbedClosedAndLoggedOut() throws Exception {
    ChatService chat = new ChatService();
    var checker = new InMemoryUsernamePasswordDatabaseDontUse().addUser("carol", "fido").addUser("bob", "secret");
    BlockingQueue<Long> disconnected = new LinkedBlockingQueue<>();
    BrokerOptions options = BrokerOptions.builder()
        .serverProbe(PeerProbe.of(Duration.ofMillis(300), Duration.ofMillis(500))).build();
    try (PbServer server = PbServer.builder().host("127.0.0.1").port(0).options(options)
            .rootFactory(PortalRoot.factory(chat.portal(checker)))
            .onConnection(b -> b.notifyOnDisconnect(() -> disconnected.add(b.connectionId())))
            .build().start();
        RawPbClient carol = new RawPbClient(server.port());
        PbClient bob = PbClient.builder().host("127.0.0.1").port(server.port()).build()) {
      int avatar = carol.login("carol", "fido");
      carol.call(avatar, "joinGroup", List.of(ByteString.ascii("unicode"), ByteString.ascii("#g")));
      RemoteReference bobPerspective = awaitUnwrapped(PbLogin.login(
          awaitUnwrapped(bob.getRootObject()), UsernamePassword.of("bob", "secret"), new ChatServiceTest.Mind(false)));
      RemoteReference bobGroup = (RemoteReference) await(bobPerspective.callRemote("joinGroup", "#g"));
      assertThat(await(bobGroup.callRemote("members"))).isEqualTo(List.of("carol", "bob"));

      // carol neither reads nor writes from now on; bob writes to her group, so the server has
      // calls to her mind in flight (never answered).
      long start = System.nanoTime();
      await(bobGroup.callRemote("send", "carol?"));
      awaitUntil(() -> chat.onlineUsers().equals(List.of("bob")));
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
      assertThat(disconnected.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
      assertThat(await(bobGroup.callRemote("members"))).isEqualTo(List.of("bob"));
      assertThat(carol.readToEnd()).isPositive(); // the server closed it: the read reaches the end
      assertThat(disconnected.poll(500, TimeUnit.MILLISECONDS)).isNull(); // once
    }
  }

  @Test
  void aBlackHoledClientIsProbedClosedLoggedOutAndLeavesItsGroups() throws Exception {
    ChatService chat = new ChatService();
    var checker = new InMemoryUsernamePasswordDatabaseDontUse().addUser("alice", "1234").addUser("bob", "secret");
    BlockingQueue<Long> disconnected = new LinkedBlockingQueue<>();
    BrokerOptions options = BrokerOptions.builder()
        .serverProbe(PeerProbe.of(Duration.ofMillis(300), Duration.ofMillis(500))).build();
    try (PbServer server = PbServer.builder().host("127.0.0.1").port(0).options(options)
            .rootFactory(PortalRoot.factory(chat.portal(checker)))
            .onConnection(b -> b.notifyOnDisconnect(() -> disconnected.add(b.connectionId())))
            .build().start();
        BlackHoleProxy proxy = new BlackHoleProxy(server.port());
        PbClient alice = PbClient.builder().host("127.0.0.1").port(proxy.port()).build();
        PbClient bob = PbClient.builder().host("127.0.0.1").port(server.port()).build()) {
      RemoteReference alicePerspective = awaitUnwrapped(PbLogin.login(
          awaitUnwrapped(alice.getRootObject()), UsernamePassword.of("alice", "1234"), new ChatServiceTest.Mind(false)));
      RemoteReference bobPerspective = awaitUnwrapped(PbLogin.login(
          awaitUnwrapped(bob.getRootObject()), UsernamePassword.of("bob", "secret"), new ChatServiceTest.Mind(false)));
      await(alicePerspective.callRemote("joinGroup", "#g"));
      RemoteReference bobGroup = (RemoteReference) await(bobPerspective.callRemote("joinGroup", "#g"));
      assertThat(await(bobGroup.callRemote("members"))).isEqualTo(List.of("alice", "bob"));

      // bob keeps talking (his connection is not silent); alice's link goes dark.
      long start = System.nanoTime();
      proxy.blackHole();
      awaitUntil(() -> chat.onlineUsers().equals(List.of("bob")));
      // Closed by the probe: after the silence and the probe's timeout, not by the link.
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
      assertThat(alice.isConnected()).isTrue(); // alice's side has not noticed anything
      assertThat(disconnected.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
      assertThat(await(bobGroup.callRemote("members"))).isEqualTo(List.of("bob"));
      await(bobGroup.callRemote("send", "alice has gone"));
      assertThat(server.connections()).hasSize(1);
      assertThat(disconnected.poll(500, TimeUnit.MILLISECONDS)).isNull(); // bob stays, and once each
    }
  }
}
