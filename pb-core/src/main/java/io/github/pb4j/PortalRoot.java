package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.cred.Anonymous;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.LoginThrottle;
import io.github.pb4j.cred.Md5ChallengeCredentials;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.jelly.TypeMismatchException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root a cred-protected PB server offers each connection: {@code login(username)} answers a
 * challenge and a challenger whose {@code respond(response, mind)} answers the avatar, and {@code
 * loginAnonymous(mind)}. Java form of Twisted's {@code pb._PortalRoot} / {@code _PortalWrapper} /
 * {@code _PortalAuthChallenger}; on the wire exactly as Twisted ({@code PB-PROTOCOL.md} §6).
 *
 * <p>Hardened where Twisted is weak: challenges come from {@link SecureRandom}; a challenger takes
 * one response; responses are compared in constant time (by the checker); failures are throttled
 * per username and per remote address when a {@link LoginThrottle} is given; passwords,
 * challenges and responses are never logged. The realm's logout runs exactly once, when the
 * client releases its avatar or the connection is lost.
 *
 * <p>One instance per connection: use {@link #factory(Portal)} as the server's root factory.
 * <em>Not thread-safe;</em> confined to the connection's event loop.
 */
public final class PortalRoot implements Root {
  private static final Logger logger = LoggerFactory.getLogger(PortalRoot.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Portal portal;
  private final Broker broker;
  private final @Nullable LoginThrottle throttle;

  private PortalRoot(Portal portal, Broker broker, @Nullable LoginThrottle throttle) {
    this.portal = portal;
    this.broker = broker;
    this.throttle = throttle;
  }

  /** Returns a root factory serving {@code portal}, without throttling. */
  public static Function<Broker, Object> factory(Portal portal) {
    Objects.requireNonNull(portal, "portal");
    return broker -> new PortalRoot(portal, broker, null);
  }

  /** Returns a root factory serving {@code portal}, throttling failed logins with {@code throttle}. */
  public static Function<Broker, Object> factory(Portal portal, LoginThrottle throttle) {
    Objects.requireNonNull(portal, "portal");
    Objects.requireNonNull(throttle, "throttle");
    return broker -> new PortalRoot(portal, broker, throttle);
  }

  /**
   * Starts a username/password login: returns {@code (challenge, challenger)}. The username may
   * be bytes (as Twisted sends it) or text (as the seed's Python 3 examples send it).
   */
  @Remote
  public Tuple login(Object username) {
    String name;
    if (username instanceof ByteString b) {
      name = b.toStringUtf8();
    } else if (username instanceof String s) {
      name = s;
    } else {
      throw new TypeMismatchException("username: " + io.github.pb4j.jelly.TypeCoercion.pythonTypeName(username)
          + " (expected: bytes or str)");
    }
    byte[] challenge = new byte[16];
    RANDOM.nextBytes(challenge);
    return Tuple.of(ByteString.of(challenge), new Challenger(name, challenge));
  }

  /** Logs in anonymously; answers the avatar. */
  @Remote
  public CompletableFuture<Object> loginAnonymous(@Nullable Object mind) {
    return portal.login(Anonymous.INSTANCE, mind, broker.executor(), Avatar.class)
        .thenApply(result -> adapt(result, "anonymous"));
  }

  private Object adapt(LoginResult<?> result, String who) {
    // The logout is tied to the connection at once, as Twisted's _cbLogin does: it runs at
    // disconnect even if the avatar never reaches the client (a login sent without asking for an
    // answer), and the watch is dropped when the client releases the avatar first.
    Runnable[] watch = new Runnable[1];
    PerspectiveAdapter adapter = new PerspectiveAdapter(result.avatar(), () -> {
      broker.dontNotifyOnDisconnect(watch[0]);
      result.logout().run();
    });
    watch[0] = adapter::logout;
    if (!broker.isConnected()) {
      adapter.logout();
      throw new ConnectionLostException("connection lost during login", null);
    }
    broker.notifyOnDisconnect(watch[0]);
    logger.debug("[conn {}] login of {} succeeded", broker.connectionId(), who);
    return adapter;
  }

  private Optional<String> addressKey() {
    return broker.remoteAddress().map(a -> a instanceof java.net.InetSocketAddress i && i.getAddress() != null
        ? "addr:" + i.getAddress().getHostAddress() : "addr:" + a);
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

    /** Answers the challenge: {@code MD5(MD5(password) + challenge)}; answers the avatar. */
    @Remote
    public CompletableFuture<Object> respond(ByteString response, @Nullable Object mind) {
      if (used) {
        return CompletableFuture.failedFuture(
            new UnauthorizedLoginException("challenge already answered"));
      }
      used = true;
      String userKey = "user:" + username;
      Optional<String> addressKey = addressKey();
      if (throttle != null && (throttle.isLockedOut(userKey)
          || addressKey.map(throttle::isLockedOut).orElse(false))) {
        logger.debug("[conn {}] login refused: too many failures", broker.connectionId());
        return CompletableFuture.failedFuture(new UnauthorizedLoginException());
      }
      Md5ChallengeCredentials credentials =
          new Md5ChallengeCredentials(username, challenge, response.toByteArray());
      return portal.login(credentials, mind, broker.executor(), Avatar.class)
          .handle((result, error) -> {
            if (error != null) {
              // Only wrong credentials count as guesses: a realm refusing a user who proved who
              // they are, or a busy user store (LoginDenied), must not lock anybody out.
              Throwable cause = error instanceof java.util.concurrent.CompletionException
                  && error.getCause() != null ? error.getCause() : error;
              if (throttle != null && cause instanceof UnauthorizedLoginException) {
                throttle.recordFailure(userKey);
                addressKey.ifPresent(throttle::recordFailure);
              }
              logger.debug("[conn {}] login failed", broker.connectionId());
              throw error instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(error);
            }
            if (throttle != null) {
              throttle.recordSuccess(userKey);
            }
            return adapt(result, "a user");
          });
    }
  }
}
