package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.cred.Anonymous;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.LoginThrottle;
import io.github.pb4j.cred.Md5ChallengeCredentials;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.TlsClientCertificate;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.cred.UnhandledCredentialsException;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.jelly.internal.TypeCoercion;
import io.github.pb4j.jelly.TypeMismatchException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root a cred-protected PB server offers each connection: {@code login(username)} answers a
 * challenge and a challenger whose {@code respond(response, mind)} answers the avatar, and {@code
 * loginAnonymous(mind)}. Java form of Twisted's {@code pb._PortalRoot} / {@code _PortalWrapper} /
 * {@code _PortalAuthChallenger}; on the wire exactly as Twisted for every legitimate client (see
 * {@code docs/cred.md}).
 *
 * <p>Hardened where Twisted is weak:
 *
 * <ul>
 *   <li>challenges come from {@link SecureRandom}, a challenger takes one response, responses are
 *       compared in constant time (by the checker); passwords, challenges and responses are never
 *       logged;
 *   <li>a username longer than {@link #MAX_USERNAME_BYTES} UTF-8 bytes is refused by {@code login}
 *       with {@link UnauthorizedLoginException}, before anything keeps it; a response that is not
 *       16 bytes fails at once, as it can never be right;
 *   <li>the logins of a server share its checkers fairly: each connection runs at most 2 at a
 *       time and each remote address at most 4, the connections of an address in turn; later ones
 *       wait (up to 1,024 per connection, beyond which the next is refused with {@link
 *       io.github.pb4j.cred.LoginDeniedException}), so that a flood slows only its sender;
 *   <li>with a {@link LoginThrottle}, each response reserves its guess before the checker runs, so
 *       pipelined responses cannot outrun the throttle; a throttled guess fails as a wrong password
 *       does, without reaching the checker.
 * </ul>
 *
 * <p>The realm's logout runs exactly once, when the client releases its avatar or the connection
 * is lost.
 *
 * <p>One instance per connection: use {@link #factory(Portal)} as the server's root factory; the
 * connections of one factory share its fairness. <em>Not thread-safe;</em> confined to the
 * connection's event loop.
 */
public final class PortalRoot implements Root {
  /**
   * The longest username {@code login} accepts, in UTF-8 bytes: room for every username pb-userstore's
   * {@code JdbcUserStore} accepts (255 characters, at most 765 bytes), far less than a peer could
   * send.
   */
  public static final int MAX_USERNAME_BYTES = 1024;

  private static final Logger logger = LoggerFactory.getLogger(PortalRoot.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int RESPONSE_BYTES = 16;
  private static final String CHALLENGE_OFF = "No checker for twisted.cred.credentials"
      + ".IUsernameHashedPassword: this server checks passwords against their hashes only (it"
      + " keeps no MD5 verifiers), so PB's challenge login is off; log in with a pb4j client over"
      + " TLS";

  private final Portal portal;
  private final Broker broker;
  private final @Nullable LoginThrottle throttle;
  private final LoginGate gate;
  /** Made for the first login. */
  private LoginGate.@Nullable Lane lane;

  private PortalRoot(Portal portal, Broker broker, @Nullable LoginThrottle throttle, LoginGate gate) {
    this.portal = portal;
    this.broker = broker;
    this.throttle = throttle;
    this.gate = gate;
  }

  /**
   * Runs {@code task} (the portal's next step of a login) in the connection's log context: at once
   * when called on the connection's event loop, as it is when the checker answers at once; else
   * as a task of that loop. Running at once keeps a login that needs no waiting within the remote
   * call that started it: no task is queued per step, the answer leaves with the read that asked
   * for it, and the login's turn in the {@link LoginGate} ends before the next read.
   */
  private void runOnConnection(Runnable task) {
    if (broker.executor().inEventLoop()) {
      LogContext.run(broker, task);
    } else {
      broker.loggingExecutor().execute(task);
    }
  }

  /** Returns a root factory serving {@code portal}, without throttling. */
  public static Function<Broker, Object> factory(Portal portal) {
    Objects.requireNonNull(portal, "portal");
    LoginGate gate = new LoginGate();
    return broker -> new PortalRoot(portal, broker, null, gate);
  }

  /** Returns a root factory serving {@code portal}, throttling guesses with {@code throttle}. */
  public static Function<Broker, Object> factory(Portal portal, LoginThrottle throttle) {
    Objects.requireNonNull(portal, "portal");
    Objects.requireNonNull(throttle, "throttle");
    LoginGate gate = new LoginGate();
    return broker -> new PortalRoot(portal, broker, throttle, gate);
  }

  /**
   * Starts a username/password login: returns {@code (challenge, challenger)}. The username may
   * be bytes (as Twisted sends it) or text (as the seed's Python 3 examples send it).
   *
   * @throws UnauthorizedLoginException if the username is longer than {@link #MAX_USERNAME_BYTES}
   */
  @Remote
  public Tuple login(Object username) {
    String name;
    if (username instanceof ByteString b) {
      checkLength(b.size());
      name = b.toStringUtf8();
    } else if (username instanceof String s) {
      // Checked before encoding: a char is at least one UTF-8 byte.
      checkLength(s.length());
      checkLength(s.getBytes(StandardCharsets.UTF_8).length);
      name = s;
    } else {
      throw new TypeMismatchException("username: " + TypeCoercion.pythonTypeName(username)
          + " (expected: bytes or str)");
    }
    if (challengeOff()) {
      logger.debug("[conn {}] challenge login refused: no MD5 verifiers", broker.connectionId());
      throw new UnhandledCredentialsException(CHALLENGE_OFF);
    }
    byte[] challenge = new byte[16];
    RANDOM.nextBytes(challenge);
    return Tuple.of(ByteString.of(challenge), new Challenger(name, challenge));
  }

  /**
   * Starts a password login that the server checks against its password hash: pb4j's own,
   * offered only on TLS connections, where nobody but the server can read the password. Returns a
   * {@link PasswordTaker} whose {@code respond(password, mind)} answers the avatar. On a plain
   * connection it answers as if there were no such method ({@code NoSuchMethod}), as a Twisted
   * server does, so that a client falls back to Twisted's challenge before sending any password.
   *
   * @throws UnauthorizedLoginException if the username is longer than {@link #MAX_USERNAME_BYTES}
   */
  @Remote
  public Referenceable loginPlain(String username) {
    if (broker.tlsSession().isEmpty()) {
      throw new NoSuchRemoteMethodException("loginPlain", "No such method: remote_loginPlain");
    }
    checkLength(username.length());
    checkLength(username.getBytes(StandardCharsets.UTF_8).length);
    return new PasswordTaker(username);
  }

  /**
   * Logs in with the certificate the client presented in the TLS handshake (mutual TLS), checked
   * by a checker of {@link TlsClientCertificate} credentials (e.g. {@link
   * io.github.pb4j.cred.TlsClientCertificateChecker}); answers the avatar. pb4j's own; on a plain
   * connection it answers as if there were no such method.
   *
   * @throws UnauthorizedLoginException if the client presented no certificate
   */
  @Remote
  public CompletableFuture<Object> loginCertificate(@Nullable Object mind) {
    Optional<SSLSession> session = broker.tlsSession();
    if (session.isEmpty()) {
      throw new NoSuchRemoteMethodException(
          "loginCertificate", "No such method: remote_loginCertificate");
    }
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : session.get().getPeerCertificates()) {
        if (c instanceof X509Certificate x) {
          chain.add(x);
        }
      }
    } catch (SSLPeerUnverifiedException e) {
      // The client presented no certificate: the login is refused below.
      logger.debug("[conn {}] certificate login without a certificate", broker.connectionId());
    }
    if (portal.credentialInterfaces().stream()
        .noneMatch(k -> k.isAssignableFrom(TlsClientCertificate.class))) {
      return CompletableFuture.failedFuture(new UnhandledCredentialsException("No checker for"
          + " client certificates: this server does not log clients in by certificate"));
    }
    if (chain.isEmpty()) {
      return CompletableFuture.failedFuture(
          new UnauthorizedLoginException("no client certificate was presented"));
    }
    TlsClientCertificate credentials = TlsClientCertificate.of(chain);
    return lane().submit(() -> {
      if (!broker.isConnected()) {
        return CompletableFuture.failedFuture(
            new ConnectionLostException("connection lost before login", null));
      }
      return portal.login(credentials, mind, this::runOnConnection, Avatar.class)
          .thenApply(result -> adapt(result, credentials.toString()));
    });
  }

  /**
   * Returns whether the portal checks passwords but cannot check PB's challenge (a user store
   * without MD5 verifiers): Twisted's {@code login} is then refused at once with a clear message.
   */
  private boolean challengeOff() {
    List<Class<? extends Credentials>> kinds = portal.credentialInterfaces();
    return kinds.contains(UsernamePassword.class)
        && kinds.stream().noneMatch(k -> k.isAssignableFrom(Md5ChallengeCredentials.class));
  }

  /** Logs in anonymously, when the connection's turn comes; answers the avatar. */
  @Remote
  public CompletableFuture<Object> loginAnonymous(@Nullable Object mind) {
    return lane().submit(() -> {
      if (!broker.isConnected()) {
        return CompletableFuture.failedFuture(
            new ConnectionLostException("connection lost before login", null));
      }
      return portal.login(Anonymous.INSTANCE, mind, this::runOnConnection, Avatar.class)
          .thenApply(result -> adapt(result, "anonymous"));
    });
  }

  /** Returns the connection's lane, dropping its waiting logins when the connection ends. */
  private LoginGate.Lane lane() {
    LoginGate.Lane l = lane;
    if (l == null) {
      l = lane = gate.lane(broker.remoteAddress().map(PortalRoot::groupKey).orElse(null),
          broker.loggingExecutor());
      broker.notifyOnDisconnect(l::close);
    }
    return l;
  }

  private static void checkLength(int bytes) {
    if (bytes > MAX_USERNAME_BYTES) {
      throw new UnauthorizedLoginException(
          "username: too long (expected: at most " + MAX_USERNAME_BYTES + " UTF-8 bytes)");
    }
  }

  /** The user a password login names, for logs. */
  private static String who(io.github.pb4j.cred.Credentials credentials) {
    if (credentials instanceof io.github.pb4j.cred.UsernameHashedPassword u) {
      return u.username();
    }
    if (credentials instanceof io.github.pb4j.cred.UsernamePassword u) {
      return u.username();
    }
    return credentials.getClass().getSimpleName();
  }

  private Object adapt(LoginResult<?> result, String who) {
    // The logout is tied to the connection at once, as Twisted's _cbLogin does: it runs at
    // disconnect even if the avatar never reaches the client (a login sent without asking for an
    // answer), and the watch is dropped when the client releases the avatar first.
    PerspectiveAdapter adapter = new PerspectiveAdapter(result.avatar(), result.logout(), broker);
    if (!broker.isConnected()) {
      adapter.logout();
      throw new ConnectionLostException("connection lost during login", null);
    }
    broker.notifyOnDisconnect(adapter);
    broker.loggedIn(who);
    LogContext.run(broker, () -> logger.debug("[conn {}] login of {} succeeded", broker.connectionId(), who));
    return adapter;
  }

  /**
   * Returns how logins from {@code address} are grouped, for fairness and the throttle: an IPv4
   * address; the /64 prefix of an IPv6 address (one host usually holds a whole /64, so single
   * addresses would give it billions of budgets); else the transport's name of the address.
   */
  static String addressKey(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address ip) {
      return ip.getHostAddress();
    }
    return String.valueOf(groupKey(address));
  }

  /**
   * Returns the key of {@link #addressKey}'s group in {@link LoginGate}: an IPv4 address is its
   * own key (the transport's object, so that an idle connection holds no text of it).
   */
  static Object groupKey(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      InetAddress ip = inet.getAddress();
      if (ip instanceof Inet6Address) {
        byte[] bytes = ip.getAddress();
        var prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
          prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)))
              .append(':');
        }
        return prefix.append(":/64").toString();
      } else if (ip != null) {
        return ip;
      }
      return inet.getHostString();
    }
    return address.toString();
  }

  /** A password login on a TLS connection: takes a single password. */
  final class PasswordTaker implements Referenceable {
    private final String username;
    /** Checks the password as a response to a challenge is checked: throttled, in turn. */
    private final Challenger checks;
    private boolean used;

    PasswordTaker(String username) {
      this.username = username;
      this.checks = new Challenger(username, new byte[0]);
    }

    /**
     * Checks {@code password} (UTF-8 bytes, or text) against the user's password hash; answers the
     * avatar. Checked when the connection's turn comes.
     */
    @Remote
    public CompletableFuture<Object> respond(Object password, @Nullable Object mind) {
      if (used) {
        return CompletableFuture.failedFuture(
            new UnauthorizedLoginException("password already given"));
      }
      used = true;
      byte[] bytes;
      if (password instanceof ByteString b) {
        bytes = b.toByteArray();
      } else if (password instanceof String s) {
        bytes = s.getBytes(StandardCharsets.UTF_8);
      } else {
        throw new TypeMismatchException("password: " + TypeCoercion.pythonTypeName(password)
            + " (expected: bytes or str)");
      }
      UsernamePassword credentials;
      try {
        credentials = UsernamePassword.of(username, bytes);
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
      return lane().submit(() -> checks.check(credentials, mind));
    }
  }

  /** One login attempt: takes a single response to its challenge. */
  final class Challenger implements Referenceable {
    private final String username;
    private final byte[] challenge;
    private boolean used;

    Challenger(String username, byte[] challenge) {
      this.username = username;
      this.challenge = challenge;
    }

    /**
     * Answers the challenge: {@code MD5(MD5(password) + challenge)}; answers the avatar. Checked
     * when the connection's turn comes.
     */
    @Remote
    public CompletableFuture<Object> respond(ByteString response, @Nullable Object mind) {
      if (used) {
        return CompletableFuture.failedFuture(
            new UnauthorizedLoginException("challenge already answered"));
      }
      used = true;
      if (response.size() != RESPONSE_BYTES) {
        logger.debug("[conn {}] login failed: malformed response", broker.connectionId());
        broker.observer.login(broker, PbObserver.LoginOutcome.REFUSED);
        return CompletableFuture.failedFuture(new UnauthorizedLoginException());
      }
      Md5ChallengeCredentials credentials =
          new Md5ChallengeCredentials(username, challenge, response.toByteArray());
      return lane().submit(() -> check(credentials, mind));
    }

    CompletableFuture<Object> check(Credentials credentials, @Nullable Object mind) {
      if (!broker.isConnected()) {
        return CompletableFuture.failedFuture(
            new ConnectionLostException("connection lost before login", null));
      }
      LoginThrottle.@Nullable Permit permit = null;
      if (throttle != null) {
        // Reserved before the checker runs: later responses see this guess in flight.
        String address = broker.remoteAddress().map(PortalRoot::addressKey).orElse(null);
        permit = throttle.tryAcquire(username, address).orElse(null);
        if (permit == null) {
          logger.debug("[conn {}] login refused: too many failures", broker.connectionId());
          broker.observer.login(broker, PbObserver.LoginOutcome.THROTTLED);
          return CompletableFuture.failedFuture(new UnauthorizedLoginException());
        }
      }
      LoginThrottle.@Nullable Permit guess = permit;
      CompletableFuture<LoginResult<?>> login;
      try {
        login = portal.login(credentials, mind, PortalRoot.this::runOnConnection, Avatar.class);
      } catch (RuntimeException e) {
        if (guess != null) {
          guess.release();
        }
        throw e;
      }
      return login.handle((result, error) -> {
        if (error != null) {
          // Only wrong credentials count as guesses: a realm refusing a user who proved who
          // they are, or a busy user store (LoginDenied), must not slow anybody down.
          Throwable cause = error instanceof CompletionException && error.getCause() != null
              ? error.getCause() : error;
          if (guess != null) {
            if (cause instanceof UnauthorizedLoginException) {
              guess.failure();
            } else {
              guess.release();
            }
          }
          LogContext.run(broker, () -> logger.debug("[conn {}] login failed", broker.connectionId()));
          if (cause instanceof io.github.pb4j.cred.LoginFailedException) {
            broker.observer.login(broker, PbObserver.LoginOutcome.REFUSED);
          }
          throw error instanceof RuntimeException r ? r : new CompletionException(error);
        }
        if (guess != null) {
          guess.success();
        }
        return adapt(result, who(credentials));
      });
    }
  }
}
