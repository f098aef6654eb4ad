package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.Avatar;
import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.PbLogin;
import io.github.pb4j.PortalRoot;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteFailureException;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.CredentialsChecker;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.cred.TlsClientCertificateChecker;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.cred.UnhandledCredentialsException;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.PbServer;
import io.github.pb4j.netty.Tls;
import io.github.pb4j.testing.TestCertificates;
import io.github.pb4j.userstore.JdbcUserStore;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password login over TLS against the user store: checked against the Argon2id hash alone, and
 * Twisted's challenge refused clearly where the store keeps no MD5 verifier. (In pb-cli because
 * a client module, pb-netty, must not depend on the user store.)
 */
@Timeout(60)
class TlsStoreLoginTest {
  @TempDir static Path dir;
  static TestCertificates certs;

  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void makeCertificates() {
    certs = TestCertificates.create(dir);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void passwordLoginOverTlsNeedsNoMd5Verifier() throws Exception {
    try (JdbcUserStore users = JdbcUserStore.sqliteBuilder(Files.createTempDirectory(dir, "db")
        .resolve("users.db")).argon2(64, 1, 1).build()) {
      users.addUser("alice", "secret".toCharArray()).get(30, TimeUnit.SECONDS);
      Recording checker = new Recording(users.checker());
      PbServer server = start(PbServer.builder()
          .portal(Portal.builder().realm(new NamedRealm()).checker(checker).build())
          .sslContext(Tls.server(certs.serverCert(), certs.serverKey())));
      RemoteReference root = await(client(server, "localhost", Tls.client(certs.caCert()))
          .getRootObject());

      RemoteReference alice = await(PbLogin.login(root, UsernamePassword.of("alice", "secret"), null));

      assertThat(await(alice.callRemote("whoami"))).isEqualTo("alice");
      assertThat(checker.kinds).containsExactly("DefaultUsernamePassword");
      Throwable wrong = failureOf(PbLogin.login(root, UsernamePassword.of("alice", "nope"), null));
      assertThat(wrong).isInstanceOf(UnauthorizedLoginException.class);
    }
  }


  @Test
  void withoutTlsTheChallengeIsRefusedClearlyWhereNoVerifierIsKept() throws Exception {
    try (JdbcUserStore users = JdbcUserStore.sqliteBuilder(Files.createTempDirectory(dir, "db")
        .resolve("users.db")).argon2(64, 1, 1).build()) {
      users.addUser("alice", "secret".toCharArray()).get(30, TimeUnit.SECONDS);
      Recording checker = new Recording(users.checker());
      PbServer server = start(PbServer.builder()
          .portal(Portal.builder().realm(new NamedRealm()).checker(checker).build()));
      RemoteReference root = await(client(server, "127.0.0.1", null).getRootObject());

      Throwable failure = failureOf(PbLogin.login(root, UsernamePassword.of("alice", "secret"), null));

      assertThat(failure).isInstanceOf(UnhandledCredentialsException.class)
          .hasMessageContaining("keeps no MD5 verifiers")
          .hasMessageContaining("log in with a pb4j client over TLS");
      assertThat(checker.kinds).isEmpty();
    }
  }


  private PbServer start(PbServer.Builder builder) {
    PbServer server = builder.host("127.0.0.1").port(0).build().start();
    open.add(server);
    return server;
  }

  private PbClient client(PbServer server, String host, @Nullable SslContext tls) {
    PbClient.Builder builder = PbClient.builder().host(host).port(server.port());
    if (tls != null) {
      builder.sslContext(tls);
    }
    PbClient client = builder.build();
    open.add(client);
    return client;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.get(20, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(Future<?> future) throws Exception {
    try {
      future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  /** An avatar that says whose it is. */
  public static final class Named implements Avatar {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    @Remote
    public String whoami() {
      return name;
    }
  }

  static final class NamedRealm implements Realm {
    @Override
    public CompletionStage<LoginResult<?>> requestAvatar(
        AvatarId id, @Nullable Object mind, Class<?>... interfaces) {
      return CompletableFuture.completedFuture(
          LoginResult.of(Avatar.class, new Named(id.username())));
    }
  }

  /** Passes credentials on to a checker and notes their kind. */
  static final class Recording implements CredentialsChecker {
    final List<String> kinds = new CopyOnWriteArrayList<>();
    private final CredentialsChecker checker;

    Recording(CredentialsChecker checker) {
      this.checker = checker;
    }

    @Override
    public Set<Class<? extends Credentials>> credentialInterfaces() {
      return checker.credentialInterfaces();
    }

    @Override
    public CompletionStage<AvatarId> requestAvatarId(Credentials credentials) {
      kinds.add(credentials.getClass().getSimpleName());
      return checker.requestAvatarId(credentials);
    }
  }
}
