package io.github.pb4j.netty;

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
import io.github.pb4j.testing.TestCertificates;
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
 * TLS between pb4j peers with certificates from PEM files ({@link Tls}): host name and CA checks,
 * the password login checked against the Argon2id hash alone ({@code loginPlain}), and the
 * certificate login of mutual TLS.
 */
@Timeout(60)
class TlsLoginTest {
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
  void echoesOverTlsWithPemFiles() throws Exception {
    PbServer server = start(PbServer.builder().root(new TestRoot())
        .sslContext(Tls.server(certs.serverCert(), certs.serverKey())));

    RemoteReference root = await(client(server, "127.0.0.1", Tls.client(certs.caCert()))
        .getRootObject());

    assertThat(await(root.callRemote("echo", "over tls"))).isEqualTo("over tls");
    assertThat(root.broker().tlsSession()).get()
        .satisfies(s -> assertThat(s.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));
  }

  @Test
  void refusesAServerWhoseCertificateNamesAnotherHost() throws Exception {
    PbServer server = start(PbServer.builder().root(new TestRoot())
        .sslContext(Tls.server(certs.wrongNameCert(), certs.wrongNameKey())));
    PbClient client = client(server, "127.0.0.1", Tls.client(certs.caCert()));

    Throwable failure = failureOf(client.getRootObject());

    assertThat(failure).isInstanceOf(ConnectionLostException.class);
    assertThat(Tls.explain(failure, "127.0.0.1")).get().asString()
        .startsWith("TLS: the server's certificate does not name 127.0.0.1");
  }

  @Test
  void refusesAServerSignedByAnUnknownCa() throws Exception {
    PbServer server = start(PbServer.builder().root(new TestRoot())
        .sslContext(Tls.server(certs.otherServerCert(), certs.otherServerKey())));
    PbClient client = client(server, "127.0.0.1", Tls.client(certs.caCert()));

    Throwable failure = failureOf(client.getRootObject());

    assertThat(Tls.explain(failure, "127.0.0.1")).get().asString()
        .startsWith("TLS: the server's certificate is not signed by a trusted CA");
  }

  @Test
  void unreadableFilesAreNamed() {
    Path missing = dir.resolve("missing.pem");

    assertThatThrownBy(() -> Tls.server(missing, certs.serverKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.pem");
    assertThatThrownBy(() -> Tls.client(certs.serverKey()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("server-key.pem");
    assertThatThrownBy(() -> Tls.client(null, certs.clientCert(), null))
        .hasMessageContaining("only one given");
  }

  @Test
  void thePasswordOfLoginPlainIsNeverLoggedEvenAtTrace() throws Exception {
    ch.qos.logback.classic.Logger pb4j =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.github.pb4j");
    ch.qos.logback.classic.Level level = pb4j.getLevel();
    var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    appender.start();
    pb4j.addAppender(appender);
    pb4j.setLevel(ch.qos.logback.classic.Level.TRACE);
    try {
      var passwords = new InMemoryUsernamePasswordDatabaseDontUse();
      passwords.addUser("alice", "s3cr3t-pw");
      PbServer server = start(PbServer.builder()
          .portal(Portal.builder().realm(new NamedRealm()).checker(passwords).build())
          .sslContext(Tls.server(certs.serverCert(), certs.serverKey())));
      RemoteReference root = await(client(server, "127.0.0.1", Tls.client(certs.caCert()))
          .getRootObject());

      await(PbLogin.login(root, UsernamePassword.of("alice", "s3cr3t-pw"), null));
      failureOf(PbLogin.login(root, UsernamePassword.of("alice", "wr0ng-pw"), null));
    } finally {
      pb4j.detachAppender(appender);
      pb4j.setLevel(level);
    }

    assertThat(appender.list).anyMatch(e -> e.getFormattedMessage().contains("loginPlain"));
    assertThat(appender.list).anyMatch(e -> e.getFormattedMessage().contains("<hidden"));
    assertThat(appender.list).noneMatch(e -> e.getFormattedMessage().contains("s3cr3t")
        || e.getFormattedMessage().contains("wr0ng"));
  }

  @Test
  void overPlainTcpNoPasswordIsSentAndLoginPlainIsNotOffered() throws Exception {
    var passwords = new InMemoryUsernamePasswordDatabaseDontUse();
    passwords.addUser("alice", "secret");
    Recording checker = new Recording(passwords);
    PbServer server = start(PbServer.builder()
        .portal(Portal.builder().realm(new NamedRealm()).checker(checker).build()));
    RemoteReference root = await(client(server, "127.0.0.1", null).getRootObject());

    RemoteReference alice = await(PbLogin.login(root, UsernamePassword.of("alice", "secret"), null));
    Throwable probe = failureOf(root.callRemote("loginPlain", "alice"));

    assertThat(await(alice.callRemote("whoami"))).isEqualTo("alice");
    assertThat(checker.kinds).containsExactly("Md5ChallengeCredentials");
    assertThat(probe).isInstanceOf(RemoteFailureException.class);
    assertThat(((RemoteFailureException) probe).check("twisted.spread.flavors.NoSuchMethod")).isTrue();
  }

  @Test
  void mutualTlsLogsInByCertificate() throws Exception {
    PbServer server = start(PbServer.builder()
        .portal(Portal.builder().realm(new NamedRealm())
            .checker(new TlsClientCertificateChecker()).build())
        .sslContext(Tls.server(certs.serverCert(), certs.serverKey(), certs.caCert())));
    RemoteReference root = await(client(server, "127.0.0.1",
        Tls.client(certs.caCert(), certs.clientCert(), certs.clientKey())).getRootObject());

    RemoteReference worker = await(PbLogin.loginWithCertificate(root, null));

    assertThat(await(worker.callRemote("whoami"))).isEqualTo(TestCertificates.CLIENT_NAME);
  }

  @Test
  void certificateLoginWithoutACertificateCheckerIsUnhandled() throws Exception {
    PbServer server = start(PbServer.builder()
        .portal(Portal.builder().realm(new NamedRealm())
            .checker(new InMemoryUsernamePasswordDatabaseDontUse()).build())
        .sslContext(Tls.server(certs.serverCert(), certs.serverKey(), certs.caCert())));
    RemoteReference root = await(client(server, "127.0.0.1",
        Tls.client(certs.caCert(), certs.clientCert(), certs.clientKey())).getRootObject());

    Throwable failure = failureOf(PbLogin.loginWithCertificate(root, null));

    assertThat(failure).isInstanceOf(UnhandledCredentialsException.class)
        .hasMessage("No checker for client certificates: this server does not log clients in by"
            + " certificate");
  }

  @Test
  void certificateLoginWithoutACertificateIsRefused() throws Exception {
    PbServer server = start(PbServer.builder()
        .portal(Portal.builder().realm(new NamedRealm())
            .checker(new TlsClientCertificateChecker()).build())
        .sslContext(Tls.server(certs.serverCert(), certs.serverKey(), certs.caCert())));
    RemoteReference root = await(client(server, "127.0.0.1", Tls.client(certs.caCert()))
        .getRootObject());

    Throwable failure = failureOf(PbLogin.loginWithCertificate(root, null));

    assertThat(failure).isInstanceOf(UnauthorizedLoginException.class)
        .hasMessageContaining("no client certificate was presented");
  }

  @Test
  void aClientCertificateOfAnotherCaDoesNotLogIn() throws Exception {
    PbServer server = start(PbServer.builder()
        .portal(Portal.builder().realm(new NamedRealm())
            .checker(new TlsClientCertificateChecker()).build())
        .sslContext(Tls.server(certs.serverCert(), certs.serverKey(), certs.caCert())));
    PbClient client = client(server, "127.0.0.1",
        Tls.client(certs.caCert(), certs.otherServerCert(), certs.otherServerKey()));

    // The server asks for a certificate of its client CA; the client has none to offer.
    Throwable failure = failureOf(
        client.getRootObject().thenCompose(r -> PbLogin.loginWithCertificate(r, null)));

    assertThat(failure).isInstanceOf(UnauthorizedLoginException.class);
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
