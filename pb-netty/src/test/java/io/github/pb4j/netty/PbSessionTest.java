package io.github.pb4j.netty;

import static io.github.pb4j.testing.Futures.await;
import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.Avatar;
import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.PortalRoot;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.cred.UsernamePassword;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.lang.ref.WeakReference;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PbSession} against pb4j servers over loopback TCP, servers stopped and restarted. */
@Timeout(60)
class PbSessionTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<String> serverEvents = new CopyOnWriteArrayList<>();
  private final Semaphore serverEventCount = new Semaphore(0);
  private final AtomicInteger connections = new AtomicInteger();

  private void serverEvent(String event) {
    serverEvents.add(event);
    serverEventCount.release();
  }
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  /** The avatar: echoes, hangs, and calls its mind back. */
  public static final class User implements Avatar {
    private final String name;
    private final @Nullable Object mind;

    User(String name, @Nullable Object mind) {
      this.name = name;
      this.mind = mind;
    }

    @Remote
    public String echo(String text) {
      return name + ":" + text;
    }

    @Remote
    public TestRoot.Thing thing() {
      return new TestRoot.Thing();
    }

    @Remote
    public CompletableFuture<Object> hang() {
      return new CompletableFuture<>();
    }

    @Remote
    public CompletableFuture<@Nullable Object> poke() {
      return ((RemoteReference) mind).callRemote("note", "poked " + name);
    }
  }

  /** The client's mind: notes what the avatar tells it. */
  public static final class Mind implements Referenceable {
    final BlockingQueue<String> notes = new LinkedBlockingQueue<>();

    @Remote
    public String note(String text) {
      notes.add(text);
      return "ack";
    }
  }

  /** Records what a session tells its listener, in order. */
  static final class Recorder implements PbSession.Listener {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final List<String> all = new CopyOnWriteArrayList<>();
    final List<long[]> failures = new CopyOnWriteArrayList<>(); // {nanoTime, retryIn nanos}
    private final Semaphore failed = new Semaphore(0);

    @Override
    public void onAttached(RemoteReference perspective) {
      add("attached");
    }

    @Override
    public void onDetached(Throwable reason) {
      add("detached " + reason.getClass().getSimpleName());
    }

    @Override
    public void onAttemptFailed(Throwable reason, Duration retryIn) {
      failures.add(new long[] {System.nanoTime(), retryIn.toNanos()});
      all.add("failed");
      failed.release();
    }

    /** Waits for {@code n} more failed attempts. */
    void awaitFailures(int n) throws InterruptedException {
      assertThat(failed.tryAcquire(n, WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .as("%d failed attempts within %s; so far %s", n, WAIT, all)
          .isTrue();
    }

    @Override
    public void onStopped(@Nullable Throwable failure) {
      add("stopped " + (failure == null ? "" : failure.getClass().getSimpleName()));
    }

    private void add(String event) {
      all.add(event);
      events.add(event);
    }

    String next() throws InterruptedException {
      String e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(e).as("a session event within %s; so far %s", WAIT, all).isNotNull();
      return e;
    }

    /** The events other than failed attempts. */
    List<String> lifecycle() {
      return all.stream().filter(e -> !e.equals("failed")).toList();
    }
  }

  private final Realm realm =
      new Realm() {
        @Override
        public CompletionStage<LoginResult<?>> requestAvatar(
            AvatarId id, @Nullable Object mind, Class<?>... interfaces) {
          serverEvent("login " + id.username());
          return CompletableFuture.completedFuture(
              new LoginResult<>(
                  Avatar.class,
                  new User(id.username(), mind),
                  () -> serverEvent("logout " + id.username())));
        }
      };

  private PbServer startServer(int port) {
    return startServer(port, null);
  }

  private PbServer startServer(int port, @Nullable SslContext tls) {
    InMemoryUsernamePasswordDatabaseDontUse users = new InMemoryUsernamePasswordDatabaseDontUse();
    users.addUser("alice", "secret");
    Portal portal = Portal.builder().realm(realm).checker(users).build();
    var roots = PortalRoot.factory(portal);
    PbServer.Builder builder =
        PbServer.builder()
            .host("127.0.0.1")
            .port(port)
            .rootFactory(
                b -> {
                  connections.incrementAndGet();
                  return roots.apply(b);
                });
    if (tls != null) {
      builder.sslContext(tls);
    }
    PbServer server = builder.build().start();
    resources.add(server);
    return server;
  }

  private PbSession.Builder session(int port) {
    return PbSession.builder()
        .host("127.0.0.1")
        .port(port)
        .initialDelay(Duration.ofMillis(20))
        .maxDelay(Duration.ofMillis(200));
  }

  private PbSession track(PbSession session) {
    resources.add(session);
    return session;
  }

  @Test
  void aServerRestartDetachesOnceThenTheSessionLogsInAgain() throws Exception {
    PbServer first = startServer(0);
    int port = first.port();
    Mind mind = new Mind();
    Recorder recorder = new Recorder();
    PbSession session =
        track(
            session(port)
                .login(UsernamePassword.of("alice", "secret"), mind)
                .listener(recorder)
                .build()
                .start());
    RemoteReference before = await(session.attached());
    assertThat(recorder.next()).isEqualTo("attached");
    assertThat(await(session.callRemote("echo", "one"))).isEqualTo("alice:one");
    assertThat(await(session.callRemote("poke"))).isEqualTo("ack");
    assertThat(mind.notes.poll(5, TimeUnit.SECONDS)).isEqualTo("poked alice");
    CompletableFuture<@Nullable Object> inFlight = session.callRemote("hang");

    first.close();
    assertThat(failureOf(inFlight)).isInstanceOf(ConnectionLostException.class);
    assertThat(recorder.next()).isEqualTo("detached ConnectionLostException");
    assertThat(session.isAttached()).isFalse();
    // Detached: calls fail at once, they do not wait for the next connection.
    CompletableFuture<@Nullable Object> whileDetached = session.callRemote("echo", "lost");
    assertThat(whileDetached).isCompletedExceptionally();
    assertThat(failureOf(whileDetached))
        .isInstanceOf(NotAttachedException.class)
        .hasMessageStartingWith("session to 127.0.0.1:" + port + " is not attached (reconnecting");
    assertThatThrownBy(session::perspective).isInstanceOf(NotAttachedException.class);
    CompletableFuture<RemoteReference> next = session.attached();
    assertThat(next).isNotDone();

    startServer(port);
    RemoteReference after = await(next);
    assertThat(recorder.next()).isEqualTo("attached");
    assertThat(after).isNotSameAs(before);
    assertThat(session.perspective()).isSameAs(after);
    assertThat(await(session.callRemote("echo", "two"))).isEqualTo("alice:two");
    // The same mind was offered at the new login.
    assertThat(await(session.callRemote("poke"))).isEqualTo("ack");
    assertThat(mind.notes.poll(5, TimeUnit.SECONDS)).isEqualTo("poked alice");
    assertThat(recorder.lifecycle())
        .containsExactly("attached", "detached ConnectionLostException", "attached");
    assertThat(serverEvents).containsExactly("login alice", "logout alice", "login alice");

    session.close();
    assertThat(recorder.lifecycle())
        .containsExactly(
            "attached", "detached ConnectionLostException", "attached",
            "detached NotAttachedException", "stopped ");
    await(session.stopped());
  }

  @Test
  void aSessionOverTlsReconnectsOverTls() throws Exception {
    SslContext serverTls = PbServerClientTest.serverTls();
    SslContext clientTls;
    try (var cert = getClass().getClassLoader().getResourceAsStream("tls/server.crt")) {
      clientTls = SslContextBuilder.forClient().trustManager(cert).build();
    }
    PbServer first = startServer(0, serverTls);
    int port = first.port();
    Recorder recorder = new Recorder();
    PbSession session =
        track(
            PbSession.builder()
                .host("localhost")
                .port(port)
                .sslContext(clientTls)
                .initialDelay(Duration.ofMillis(20))
                .maxDelay(Duration.ofMillis(200))
                .login(UsernamePassword.of("alice", "secret"))
                .listener(recorder)
                .build()
                .start());
    assertThat(await(session.attached()).broker().options()).isNotNull();
    assertThat(await(session.callRemote("echo", "sealed"))).isEqualTo("alice:sealed");
    first.close();
    assertThat(recorder.next()).isEqualTo("attached");
    assertThat(recorder.next()).isEqualTo("detached ConnectionLostException");
    startServer(port, serverTls);
    assertThat(recorder.next()).isEqualTo("attached");
    assertThat(await(session.callRemote("echo", "again"))).isEqualTo("alice:again");
  }

  @Test
  void anUntrustedServerIsAFailedAttemptNotALogin() throws Exception {
    PbServer server = startServer(0, PbServerClientTest.serverTls());
    Recorder recorder = new Recorder();
    PbSession session =
        track(
            PbSession.builder()
                .host("localhost")
                .port(server.port())
                .sslContext(SslContextBuilder.forClient().build()) // the JDK's CAs only
                .initialDelay(Duration.ofMillis(20))
                .login(UsernamePassword.of("alice", "secret"))
                .listener(recorder)
                .build()
                .start());
    recorder.awaitFailures(2);
    assertThat(failureOf(session.callRemote("echo", "x")))
        .isInstanceOf(NotAttachedException.class)
        .cause()
        .isInstanceOf(ConnectionLostException.class)
        .cause()
        .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    assertThat(serverEvents).isEmpty();
  }

  @Test
  void aRootObjectSessionReconnectsToo() throws Exception {
    PbServer first = PbServer.builder().host("127.0.0.1").port(0).root(new TestRoot()).build().start();
    resources.add(first);
    int port = first.port();
    Recorder recorder = new Recorder();
    PbSession session = track(session(port).listener(recorder).build().start());
    assertThat(await(session.attached()).luid()).isEqualTo("root");
    assertThat(await(session.callRemote("echo", "x"))).isEqualTo("x");
    first.close();
    assertThat(recorder.next()).isEqualTo("attached");
    assertThat(recorder.next()).isEqualTo("detached ConnectionLostException");
    resources.add(PbServer.builder().host("127.0.0.1").port(port).root(new TestRoot()).build().start());
    assertThat(recorder.next()).isEqualTo("attached");
    assertThat(await(session.callRemote(String.class, "echo", "y"))).isEqualTo("y");
  }

  @Test
  void aRefusedLoginStopsTheSessionWithoutRetrying() throws Exception {
    PbServer server = startServer(0);
    Recorder recorder = new Recorder();
    PbSession session =
        track(
            session(server.port())
                .login(UsernamePassword.of("alice", "WRONG"))
                .listener(recorder)
                .build()
                .start());
    assertThat(failureOf(session.attached())).isInstanceOf(UnauthorizedLoginException.class);
    assertThat(failureOf(session.stopped())).isInstanceOf(UnauthorizedLoginException.class);
    // Stopped means released: its event loop is gone, so no timer can try again.
    assertThat(recorder.all).containsExactly("stopped UnauthorizedLoginException");
    assertThat(connections.get()).isEqualTo(1);
    assertThat(serverEvents).isEmpty();
    assertThat(failureOf(session.callRemote("echo", "x")))
        .isInstanceOf(NotAttachedException.class)
        .hasMessageStartingWith("session stopped: login refused")
        .hasCauseInstanceOf(UnauthorizedLoginException.class);
    assertThat(failureOf(session.attached())).isInstanceOf(UnauthorizedLoginException.class);
  }

  @Test
  void delaysGrowAreBoundedAndAreKept() throws Exception {
    int port = freePort();
    Recorder recorder = new Recorder();
    PbSession session =
        track(
            PbSession.builder()
                .host("127.0.0.1")
                .port(port)
                .initialDelay(Duration.ofMillis(10))
                .maxDelay(Duration.ofMillis(80))
                .multiplier(2)
                .jitter(0.5)
                .listener(recorder)
                .build()
                .start());
    recorder.awaitFailures(8);
    session.close();
    List<long[]> f = List.copyOf(recorder.failures);
    assertThat(f).hasSizeGreaterThanOrEqualTo(8);
    long ms = TimeUnit.MILLISECONDS.toNanos(1);
    for (int i = 0; i < 8; i++) {
      long retryIn = f.get(i)[1];
      long base = Math.min(80, 10L << i) * ms;
      assertThat(retryIn).as("delay %d", i).isBetween(base / 2, base);
    }
    // Each attempt starts no sooner than the delay announced before it. The listener's clock is
    // read a little after the retry was scheduled (by up to a preemption of the loop thread), so
    // the delays are checked in sum, with one such slack, not one by one.
    long announced = 0;
    for (int i = 0; i < 7; i++) {
      announced += f.get(i)[1];
    }
    assertThat(f.get(7)[0] - f.get(0)[0]).as("time from failure 0 to 7").isGreaterThanOrEqualTo(announced - 20 * ms);
    assertThat(failureOf(session.attached()))
        .isInstanceOf(NotAttachedException.class)
        .hasMessage("session closed");
  }

  @Test
  void closingAWaitingSessionStopsItForGood() throws Exception {
    int port = freePort();
    Recorder recorder = new Recorder();
    PbSession session =
        track(
            PbSession.builder()
                .host("127.0.0.1")
                .port(port)
                .initialDelay(Duration.ofMillis(50))
                .login(UsernamePassword.of("alice", "secret"))
                .listener(recorder)
                .build()
                .start());
    CompletableFuture<RemoteReference> attached = session.attached();
    recorder.awaitFailures(1);
    await(session.closeAsync());
    await(session.stopped());
    assertThat(failureOf(attached)).isInstanceOf(NotAttachedException.class).hasMessage("session closed");
    assertThat(failureOf(session.callRemote("echo", "x"))).hasMessage("session closed");
    int attempts = recorder.failures.size();
    // A server appears on the port: a closed session never comes back.
    startServer(port);
    assertThat(recorder.lifecycle()).containsExactly("stopped ");
    assertThat(recorder.failures).hasSize(attempts);
    session.close(); // idempotent
    assertThat(connections.get()).isZero();
  }

  @Test
  void anAttemptThatGetsNoAnswerIsGivenUp() throws Exception {
    // A server that accepts connections and never speaks: no dialect offer, no login.
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Recorder recorder = new Recorder();
      PbSession session =
          track(
              session(silent.getLocalPort())
                  .attachTimeout(Duration.ofMillis(200))
                  .listener(recorder)
                  .build()
                  .start());
      recorder.awaitFailures(1);
      assertThat(failureOf(session.callRemote("echo", "x")).getCause())
          .isInstanceOf(java.util.concurrent.TimeoutException.class)
          .hasMessage("not attached within 200 ms");
    }
  }

  @Test
  void aPlainLoginWhoseAvatarTheProgramDropsStaysLoggedIn() throws Exception {
    PbServer server = startServer(0);
    PbClient client =
        PbClient.builder().host("127.0.0.1").port(server.port()).build();
    resources.add(client);
    // The program keeps neither the avatar nor a thing it got from it.
    List<WeakReference<RemoteReference>> probes = loginAndDrop(client);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (probes.get(1).get() != null && System.nanoTime() < deadline) {
      System.gc();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    assertThat(probes.get(1).get()).as("the collector took the dropped thing").isNull();
    // A round trip after the collection: a decref of the avatar would have arrived before it.
    RemoteReference avatar = probes.get(0).get();
    assertThat(avatar).as("the connection keeps the avatar").isNotNull();
    assertThat(await(avatar.callRemote("echo", "still"))).isEqualTo("alice:still");
    assertThat(serverEvents).containsExactly("login alice");
    client.close();
    assertThat(serverEventCount.tryAcquire(2, WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(serverEvents).containsExactly("login alice", "logout alice");
  }

  private static List<WeakReference<RemoteReference>> loginAndDrop(PbClient client)
      throws Exception {
    RemoteReference avatar = await(client.login(UsernamePassword.of("alice", "secret"), null));
    RemoteReference thing = (RemoteReference) await(avatar.callRemote("thing"));
    return List.of(new WeakReference<>(avatar), new WeakReference<>(thing));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aSessionProbesItsServerByDefaultAndKeepsOptionsItIsGiven() {
    PbSession probing = PbSession.builder().host("127.0.0.1").port(1).build();
    PbSession given =
        PbSession.builder().host("127.0.0.1").port(1).options(io.github.pb4j.BrokerOptions.DEFAULT).build();
    try {
      assertThat(probing.settings().options().clientProbe())
          .isEqualTo(io.github.pb4j.PeerProbe.SERVER_DEFAULT);
      assertThat(given.settings().options().clientProbe()).isEqualTo(io.github.pb4j.PeerProbe.OFF);
    } finally {
      probing.close();
      given.close();
    }
  }
}
