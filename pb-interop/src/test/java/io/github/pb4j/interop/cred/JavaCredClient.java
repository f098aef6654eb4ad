package io.github.pb4j.interop.cred;

import static io.github.pb4j.testing.Futures.await;
import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.DeadReferenceException;
import io.github.pb4j.PbLogin;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteFailureException;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.Anonymous;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.LoginFailedException;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.cred.UnhandledCredentialsException;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.interop.JavaScenarioClient;
import io.github.pb4j.interop.Results;
import io.github.pb4j.netty.PbClient;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The Java client of the cred conformance suite: each scenario logs in with {@link PbLogin} over
 * {@link PbClient} and returns the same canonical text as {@code cred_client.py}.
 */
final class JavaCredClient {
  private static final long WAIT_SECONDS = 10;
  private static final UsernamePassword ALICE = UsernamePassword.of("alice", "secret");
  private static final UsernamePassword BOB = UsernamePassword.of("bob", "hunter2");
  private static final UsernamePassword CAROL = UsernamePassword.of("carol", "fido");

  private JavaCredClient() {}

  /** Returns a scenario client running every scenario of the suite in Java. */
  static JavaScenarioClient create() {
    return new JavaScenarioClient()
        .add("getRootObject", JavaCredClient::getRootObject)
        .add("deadReference", JavaCredClient::deadReference)
        .add("connectionLost", JavaCredClient::connectionLost)
        .add("immediateClose", JavaCredClient::immediateClose)
        .add("connectionRefused", port -> connectionRefused())
        .add("loginLogout", JavaCredClient::loginLogout)
        .add("logoutAfterDecref", JavaCredClient::logoutAfterDecref)
        .add("concurrentLogin", JavaCredClient::concurrentLogin)
        .add("badUsername", port -> refusedThenAlice(port,
            UsernamePassword.of("nosuchuser", "secret"), UnauthorizedLoginException.class))
        .add("badPassword", port -> refusedThenAlice(port,
            UsernamePassword.of("alice", "WRONG"), UnauthorizedLoginException.class))
        .add("anonymousLogin", JavaCredClient::anonymousLogin)
        .add("anonymousLoginNotPermitted", port -> refusedThenAlice(port,
            Anonymous.INSTANCE, UnhandledCredentialsException.class))
        .add("anonymousLoginWithMultipleCheckers", JavaCredClient::anonymousLogin)
        .add("authenticatedLoginWithMultipleCheckers", JavaCredClient::authenticatedLogin)
        .add("view", JavaCredClient::view)
        .add("mind", JavaCredClient::mind);
  }

  /** The client-side object the server's avatar calls back. */
  public static final class Mind implements Referenceable {
    final List<String> notes = new CopyOnWriteArrayList<>();

    @Remote
    public String notify(String note) {
      notes.add(note);
      return "ack " + note;
    }
  }

  private static String getRootObject(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = await(client.getRootObject());
      disconnect(client, root);
      return "root reference; disconnect notified";
    }
  }

  private static String deadReference(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = await(client.getRootObject());
      disconnect(client, root);
      return "after disconnect: " + outcome(root.callRemote("method"));
    }
  }

  private static String connectionLost(int port) throws Exception {
    String loginText;
    String callText;
    try (PbClient client = connect(port)) {
      RemoteReference root = await(client.getRootObject());
      // sleepy's avatar never comes, so that login is still pending when the connection goes.
      var pendingLogin = PbLogin.login(root, UsernamePassword.of(CredRealm.SLEEPY, "zzz"), null);
      RemoteReference alice = await(PbLogin.login(root, ALICE, null));
      var pendingCall = alice.callRemote("hang");
      disconnect(client, alice);
      loginText = outcome(pendingLogin);
      callText = outcome(pendingCall);
    }
    try (PbClient again = connect(port)) {
      RemoteReference avatar = login(again, ALICE, null);
      String name = (String) await(avatar.callRemote("getAvatarId"));
      disconnect(again, avatar);
      return "pending login: " + loginText + "; pending call: " + callText
          + "; new connection: " + name;
    }
  }

  private static String immediateClose(int port) throws Exception {
    new Socket("127.0.0.1", port).close();
    try (PbClient client = connect(port)) {
      RemoteReference avatar = login(client, ALICE, null);
      String name = (String) await(avatar.callRemote("getAvatarId"));
      disconnect(client, avatar);
      return "server still serves: " + name;
    }
  }

  private static String connectionRefused() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (PbClient client = connect(closedPort)) {
      return outcome(client.getRootObject().thenCompose(root -> PbLogin.login(root, ALICE, null)));
    }
  }

  private static String loginLogout(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference avatar = login(client, ALICE, "BRAINS!");
      Object name = await(avatar.callRemote("getAvatarId"));
      Object mind = await(avatar.callRemote("getMind"));
      disconnect(client, avatar);
      return "logged in as " + name + "; mind " + mind;
    }
  }

  private static String logoutAfterDecref(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = await(client.getRootObject());
      RemoteReference avatar = await(PbLogin.loginWithMindValue(root, ALICE, "BRAINS!"));
      Object name = await(avatar.callRemote("getAvatarId"));
      avatar.release();
      // The server handles the decref before this second login on the same connection.
      RemoteReference bob = await(PbLogin.login(root, BOB, null));
      Object other = await(bob.callRemote("getAvatarId"));
      disconnect(client, bob);
      return "released " + name + "; then " + other;
    }
  }

  private static String concurrentLogin(int port) throws Exception {
    List<PbClient> clients = new ArrayList<>();
    try {
      PbClient shared = connect(port);
      clients.add(shared);
      RemoteReference root = await(shared.getRootObject());
      List<RemoteReference> avatars = awaitAll(List.of(
          PbLogin.login(root, ALICE, null), PbLogin.login(root, BOB, null)));
      String one = avatarIds(avatars);
      List<CompletableFuture<RemoteReference>> logins = new ArrayList<>();
      for (UsernamePassword user : List.of(ALICE, BOB, CAROL)) {
        PbClient client = connect(port);
        clients.add(client);
        logins.add(client.getRootObject().thenCompose(r -> PbLogin.login(r, user, null)));
      }
      String several = avatarIds(awaitAll(logins));
      return "one connection: " + one + "; several connections: " + several;
    } finally {
      clients.forEach(PbClient::close);
    }
  }

  private static String refusedThenAlice(
      int port, Credentials credentials, Class<? extends LoginFailedException> expected)
      throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = await(client.getRootObject());
      String text = refused(PbLogin.login(root, credentials, null), expected);
      RemoteReference avatar = await(PbLogin.login(root, ALICE, null));
      Object name = await(avatar.callRemote("getAvatarId"));
      disconnect(client, avatar);
      return text + "; same connection: " + name;
    }
  }

  private static String anonymousLogin(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference avatar = login(client, Anonymous.INSTANCE, "BRAINS!");
      Object name = await(avatar.callRemote("getAvatarId"));
      Object echoed = await(avatar.callRemote("echo", 123));
      disconnect(client, avatar);
      return name + " echo " + echoed;
    }
  }

  private static String authenticatedLogin(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference avatar = login(client, ALICE, "BRAINS!");
      Object name = await(avatar.callRemote("getAvatarId"));
      Object total = await(avatar.callRemote("add", 100, 23));
      disconnect(client, avatar);
      return name + " add " + total;
    }
  }

  private static String view(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = await(client.getRootObject());
      RemoteReference alice = await(PbLogin.login(root, ALICE, null));
      RemoteReference bob = await(PbLogin.login(root, BOB, null));
      RemoteReference aliceView = (RemoteReference) await(alice.callRemote("getViewPoint"));
      RemoteReference bobView = (RemoteReference) await(bob.callRemote("getViewPoint"));
      Object aliceSees = await(aliceView.callRemote("check"));
      Object bobSees = await(bobView.callRemote("check"));
      String positional = remoteType(aliceView.callRemote("check", "bob"));
      String keyword = remoteType(aliceView.callRemoteWithKeywords("check", List.of(), Map.of("user", "bob")));
      disconnect(client, alice);
      return "alice sees " + aliceSees + "; bob sees " + bobSees
          + "; forged positional: " + positional + "; forged keyword: " + keyword;
    }
  }

  private static String mind(int port) throws Exception {
    try (PbClient client = connect(port)) {
      Mind mind = new Mind();
      RemoteReference avatar = login(client, ALICE, mind);
      Object answer = await(avatar.callRemote("poke", "hello"));
      disconnect(client, avatar);
      return "poke answered " + answer + "; mind got [" + String.join(", ", mind.notes) + "]";
    }
  }

  // ---------------------------------------------------------------- helpers

  private static PbClient connect(int port) {
    return PbClient.builder().host("127.0.0.1").port(port).build();
  }

  private static RemoteReference login(
      PbClient client, Credentials credentials, @Nullable Object mind) throws Exception {
    return await(
        client.getRootObject().thenCompose(root -> PbLogin.loginWithMindValue(root, credentials, mind)));
  }

  /** Drops the connection and returns once the client has seen it go. */
  private static void disconnect(PbClient client, RemoteReference ref) throws Exception {
    CompletableFuture<@Nullable Void> lost = new CompletableFuture<>();
    ref.notifyOnDisconnect(r -> lost.complete(null));
    client.close();
    await(lost);
  }

  private static String avatarIds(List<RemoteReference> avatars) throws Exception {
    List<String> ids = new ArrayList<>();
    for (RemoteReference avatar : avatars) {
      ids.add(String.valueOf(await(avatar.callRemote("getAvatarId"))));
    }
    return ids.stream().collect(Collectors.joining(", "));
  }

  private static <T> List<T> awaitAll(List<CompletableFuture<T>> futures) throws Exception {
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .get(WAIT_SECONDS, TimeUnit.SECONDS);
    return futures.stream().map(CompletableFuture::join).toList();
  }

  /** Returns the failure of {@code future}, or {@code null} if it succeeded. */
  private static @Nullable Throwable failureOf(CompletableFuture<?> future) throws Exception {
    try {
      future.get(WAIT_SECONDS, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      while (t instanceof CompletionException && t.getCause() != null) {
        t = t.getCause();
      }
      return t;
    }
  }

  /** {@code answered <value>} or the canonical name of a local failure. */
  private static String outcome(CompletableFuture<?> future) throws Exception {
    Throwable t = failureOf(future);
    if (t == null) {
      return "answered " + future.join();
    }
    if (t instanceof ConnectionLostException) {
      return "connection lost";
    }
    if (t instanceof DeadReferenceException) {
      return "dead reference";
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return "connection refused";
      }
    }
    return "unexpected " + Results.failureText(t);
  }

  /**
   * {@code refused <type>: <value>}, the type being the Twisted class the cred exception stands
   * for; marks a failure that is not the expected cred exception.
   */
  private static String refused(
      CompletableFuture<RemoteReference> login, Class<? extends LoginFailedException> expected)
      throws Exception {
    Throwable t = failureOf(login);
    if (t == null) {
      return "accepted";
    }
    if (!(t instanceof LoginFailedException e)
        || !(e.getCause() instanceof RemoteFailureException)) {
      return "unexpected " + Results.failureText(t);
    }
    return "refused " + (expected.isInstance(e) ? "" : "UNTRAPPABLE ")
        + e.twistedType() + ": " + e.twistedValue();
  }

  private static String remoteType(CompletableFuture<?> call) throws Exception {
    Throwable t = failureOf(call);
    if (t == null) {
      return "accepted";
    }
    return t instanceof RemoteFailureException f ? f.remoteType() : "unexpected " + t;
  }
}
