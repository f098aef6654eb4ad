package io.github.pb4j.netty;

import static io.github.pb4j.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.pb4j.Avatar;
import io.github.pb4j.Broker;
import io.github.pb4j.LogContext;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.cred.UsernamePassword;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Log lines about a connection carry its id, its peer and, after a login, the avatar id. */
@Timeout(30)
class ConnectionLogContextTest {
  private final Logger pb4j = (Logger) LoggerFactory.getLogger("io.github.pb4j");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private Level level;
  private final List<Map<String, String>> seenByMethods = new CopyOnWriteArrayList<>();

  /** The avatar: records the MDC its methods run with. */
  public final class User implements Avatar {
    @Remote
    public String whoami() {
      seenByMethods.add(MDC.getCopyOfContextMap());
      return "ok";
    }

    @Remote
    public CompletableFuture<String> later() {
      // Completed on another thread: the answer is sent from a task hopping back to the loop.
      return CompletableFuture.supplyAsync(() -> {
        throw new IllegalStateException("failed later");
      });
    }

    @Remote
    public String boom() {
      throw new IllegalStateException("boom");
    }
  }

  @BeforeEach
  void capture() {
    level = pb4j.getLevel();
    pb4j.setLevel(Level.DEBUG);
    appender.start();
    pb4j.addAppender(appender);
  }

  @AfterEach
  void restore() {
    pb4j.detachAppender(appender);
    pb4j.setLevel(level);
  }

  @Test
  void linesAboutAConnectionNameItsIdPeerAndAvatar() throws Exception {
    try (AliceSession session = AliceSession.open(alicePortal())) {
      RemoteReference avatar = session.avatar();
      assertThat(await(avatar.callRemote("whoami"))).isEqualTo("ok");
      assertThatThrownBy(() -> await(avatar.callRemote("boom"))).hasMessageContaining("boom");
      assertThatThrownBy(() -> await(avatar.callRemote("later"))).hasMessageContaining("failed later");

      Broker broker = session.serverSide();
      assertThat(broker.avatarId()).hasValue("alice");
      String conn = Long.toString(broker.connectionId());
      String peer = broker.remoteAddress().map(a -> {
        InetSocketAddress inet = (InetSocketAddress) a;
        return inet.getAddress().getHostAddress() + ":" + inet.getPort();
      }).orElseThrow();
      assertThat(peer).startsWith("127.0.0.1:");

      assertThat(seenByMethods).singleElement().isEqualTo(Map.of(
          LogContext.CONNECTION, conn, LogContext.PEER, peer, LogContext.AVATAR, "alice"));
      assertThat(event("login of alice succeeded").getMDCPropertyMap())
          .containsEntry(LogContext.CONNECTION, conn)
          .containsEntry(LogContext.PEER, peer)
          .containsEntry(LogContext.AVATAR, "alice");
      assertThat(event("remote method User.boom threw").getMDCPropertyMap())
          .containsEntry(LogContext.CONNECTION, conn)
          .containsEntry(LogContext.AVATAR, "alice");
      assertThat(event("remote method User.later threw").getMDCPropertyMap())
          .containsEntry(LogContext.CONNECTION, conn)
          .containsEntry(LogContext.PEER, peer)
          .containsEntry(LogContext.AVATAR, "alice");
    }
    // Outside a connection's work the keys are gone.
    assertThat(MDC.get(LogContext.CONNECTION)).isNull();
  }

  @Test
  void theKeysLeaveTheThreadWithTheConnectionsWorkAndNestedContextsRestoreTheirOwn()
      throws Exception {
    try (AliceSession session = AliceSession.open(alicePortal())) {
      RemoteReference avatar = session.avatar();
      assertThat(await(avatar.callRemote("whoami"))).isEqualTo("ok");
      Broker broker = session.serverSide();

      // The next thing each event loop runs, after the reads of the call and of its answer, runs
      // outside any connection.
      assertThat(await(CompletableFuture.supplyAsync(ConnectionLogContextTest::pbKeys,
          broker.executor()))).isEmpty();
      assertThat(await(CompletableFuture.supplyAsync(ConnectionLogContextTest::pbKeys,
          avatar.broker().executor()))).isEmpty();

      // Here: the server's connection (peer, avatar), then the client's inside it (no avatar).
      Broker outer = LogContext.enter(broker);
      assertThat(outer).isNull();
      assertThat(pbKeys()).containsEntry(LogContext.AVATAR, "alice").hasSize(3);
      Broker inner = LogContext.enter(avatar.broker());
      assertThat(inner).isSameAs(broker);
      assertThat(pbKeys()).doesNotContainKey(LogContext.AVATAR)
          .containsEntry(LogContext.CONNECTION, Long.toString(avatar.broker().connectionId()))
          .hasSize(2);
      LogContext.exit(inner);
      assertThat(pbKeys()).containsEntry(LogContext.AVATAR, "alice")
          .containsEntry(LogContext.CONNECTION, Long.toString(broker.connectionId()))
          .hasSize(3);
      LogContext.exit(outer);
      assertThat(pbKeys()).isEmpty();

      // An avatar key this thread got from elsewhere (a copied MDC) is not shown as the avatar
      // of a connection that has none.
      MDC.put(LogContext.AVATAR, "someone-else");
      Broker none = LogContext.enter(avatar.broker());
      assertThat(pbKeys()).doesNotContainKey(LogContext.AVATAR);
      LogContext.exit(none);
      assertThat(pbKeys()).isEmpty();
    }
  }

  /** A server, a client, and alice logged in through it. */
  private record AliceSession(PbServer server, PbClient client, RemoteReference avatar,
      Broker serverSide) implements AutoCloseable {
    static AliceSession open(Portal portal) throws Exception {
      CompletableFuture<Broker> serverBroker = new CompletableFuture<>();
      PbServer server = PbServer.builder().port(0).portal(portal)
          .onConnection(serverBroker::complete).build().start();
      PbClient client = PbClient.builder().host("127.0.0.1").port(server.port()).build();
      try {
        RemoteReference avatar =
            await(client.login(UsernamePassword.of("alice", "secret"), null));
        return new AliceSession(server, client, avatar, await(serverBroker));
      } catch (Exception | AssertionError e) {
        client.close();
        server.close();
        throw e;
      }
    }

    @Override
    public void close() {
      client.close();
      server.close();
    }
  }

  /** A portal where alice (password "secret") logs in as a {@link User}. */
  private Portal alicePortal() {
    Realm realm = new Realm() {
      @Override
      public CompletionStage<LoginResult<?>> requestAvatar(
          AvatarId id, @Nullable Object mind, Class<?>... interfaces) {
        return CompletableFuture.completedFuture(LoginResult.of(Avatar.class, new User()));
      }
    };
    return Portal.builder().realm(realm)
        .checker(new InMemoryUsernamePasswordDatabaseDontUse().addUser("alice", "secret")).build();
  }

  /** The pb.* entries of this thread's MDC. */
  private static Map<String, String> pbKeys() {
    Map<String, String> all = MDC.getCopyOfContextMap();
    Map<String, String> pb = new java.util.HashMap<>();
    if (all != null) {
      all.forEach((k, v) -> {
        if (k.startsWith("pb.")) {
          pb.put(k, v);
        }
      });
    }
    return pb;
  }

  private ILoggingEvent event(String text) {
    return appender.list.stream()
        .filter(e -> e.getFormattedMessage().contains(text))
        .filter(e -> e.getMDCPropertyMap().containsKey(LogContext.CONNECTION)
            && !e.getMDCPropertyMap().get(LogContext.CONNECTION).isEmpty())
        .reduce((a, b) -> a)
        .orElseThrow(() -> new AssertionError("no log line with " + text + " in a connection's context: "
            + appender.list.stream().map(e -> e.getFormattedMessage() + " " + e.getMDCPropertyMap()).toList()));
  }
}
