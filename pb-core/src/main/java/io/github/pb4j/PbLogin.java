package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.cred.Anonymous;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.LoginDeniedException;
import io.github.pb4j.cred.LoginFailedException;
import io.github.pb4j.cred.Md5ChallengeCredentials;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.cred.UnhandledCredentialsException;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.jelly.Tuple;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * The client side of PB login, against a Twisted or a pb4j server: Java form of Twisted's {@code
 * PBClientFactory.login}.
 *
 * <p>Username and password travel as Twisted expects: the username as bytes, then {@code
 * MD5(MD5(password) + challenge)}; the challenger is released afterwards. Over TLS, a password
 * login first tries pb4j's own {@code loginPlain}, which lets a pb4j server check the password
 * against its Argon2id hash and needs no MD5 verifier; a server without it (Twisted, or a pb4j
 * server on a plain connection) answers {@code NoSuchMethod} before the password is sent, and the
 * login falls back to Twisted's challenge. Over plain TCP the password itself is never sent.
 *
 * <p>A refused login fails with the cred exception matching the server's failure ({@link
 * UnauthorizedLoginException}, {@link UnhandledCredentialsException}, {@link
 * LoginDeniedException}), the remote failure as its cause.
 *
 * <p>The connection keeps the avatar reference a login returns until the program {@link
 * RemoteReference#release() releases} it or the connection ends: dropping the reference does not
 * log the user out (the server sees a {@code decref} only on {@code release()}).
 *
 * <p><em>Thread-safe.</em>
 */
public final class PbLogin {
  private PbLogin() {}

  /**
   * Logs in through the server's root object and returns a future of the avatar reference.
   *
   * @param mind the object the server's avatar calls back (Twisted's {@code client} argument of
   *     {@code PBClientFactory.login}), or {@code null}
   */
  public static CompletableFuture<RemoteReference> login(
      RemoteReference root, Credentials credentials, @Nullable Referenceable mind) {
    return loginWithMindValue(root, credentials, mind);
  }

  /** Logs in without a mind: {@code login(root, credentials, null)}. */
  public static CompletableFuture<RemoteReference> login(RemoteReference root, Credentials credentials) {
    return loginWithMindValue(root, credentials, null);
  }

  /**
   * Logs in with a mind of any type.
   *
   * @deprecated a mind that is not a {@link Referenceable} is copied to the server, not called
   *     back; declare the mind as a {@code Referenceable} and call {@link #login(RemoteReference,
   *     Credentials, Referenceable)}, or, when a copied value is meant, {@link #loginWithMindValue}
   */
  @Deprecated
  public static CompletableFuture<RemoteReference> login(
      RemoteReference root, Credentials credentials, @Nullable Object mind) {
    return loginWithMindValue(root, credentials, mind);
  }

  /**
   * Logs in with a mind that is sent as a value, as Twisted allows: a {@link Referenceable} is
   * sent by reference, anything else (a string, a {@link Copyable}) is copied, and the server's
   * realm receives the copy. Most programs want {@link #login(RemoteReference, Credentials,
   * Referenceable)}.
   */
  public static CompletableFuture<RemoteReference> loginWithMindValue(
      RemoteReference root, Credentials credentials, @Nullable Object mind) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(credentials, "credentials");
    CompletableFuture<@Nullable Object> avatar;
    if (credentials instanceof UsernamePassword up && root.broker().tlsSession().isPresent()) {
      avatar = PasswordLogin.overTls(root, up, mind, () -> challengeLogin(root, up, mind));
    } else if (credentials instanceof UsernamePassword up) {
      avatar = challengeLogin(root, up, mind);
    } else if (credentials instanceof Anonymous) {
      avatar = root.callRemote("loginAnonymous", mind);
    } else {
      return CompletableFuture.failedFuture(new UnhandledCredentialsException(
          "PB login takes UsernamePassword or Anonymous credentials, not " + credentials.getClass().getName()));
    }
    return avatarOf(avatar);
  }

  /**
   * Logs in with the certificate this client presented in the TLS handshake (mutual TLS): pb4j's
   * {@code loginCertificate}, which a pb4j server offers on TLS connections when a checker of
   * {@link io.github.pb4j.cred.TlsClientCertificate} credentials is registered; the server takes
   * the avatar id from the certificate. Fails with {@link UnauthorizedLoginException} if the
   * server saw no certificate, with {@link UnhandledCredentialsException} if it has no such
   * checker, and with {@link IllegalStateException} on a connection without TLS.
   */
  public static CompletableFuture<RemoteReference> loginWithCertificate(
      RemoteReference root, @Nullable Object mind) {
    Objects.requireNonNull(root, "root");
    if (root.broker().tlsSession().isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "certificate login: the connection has no TLS (expected: a client with an sslContext)"));
    }
    return avatarOf(root.callRemote("loginCertificate", mind));
  }

  /** Twisted's login: {@code login(username)}, then {@code respond(MD5(MD5(pw) + challenge))}. */
  private static CompletableFuture<@Nullable Object> challengeLogin(
      RemoteReference root, UsernamePassword up, @Nullable Object mind) {
    return root.callRemote("login", ByteString.utf8(up.username())).thenCompose(answer -> {
      if (!(answer instanceof Tuple t) || t.size() != 2 || !(t.get(0) instanceof ByteString challenge)
          || !(t.get(1) instanceof RemoteReference challenger)) {
        throw new PbProtocolException("login answer: " + answer + " (expected: (challenge, challenger))");
      }
      byte[] response = Md5ChallengeCredentials.respond(up.password(), challenge.toByteArray());
      return challenger.callRemote("respond", ByteString.of(response), mind)
          .whenComplete((v, e) -> challenger.release());
    });
  }

  private static CompletableFuture<RemoteReference> avatarOf(
      CompletableFuture<@Nullable Object> avatar) {
    return avatar.handle((value, error) -> {
      if (error != null) {
        throw new CompletionException(translate(unwrap(error)));
      }
      if (!(value instanceof RemoteReference ref)) {
        throw new PbProtocolException("login answer: " + value + " (expected: a reference to the avatar)");
      }
      // The connection owns the avatar until the program releases it or the connection ends.
      ref.broker().keepLoginAvatar(ref);
      return ref;
    });
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static Throwable translate(Throwable t) {
    if (!(t instanceof RemoteFailureException f)) {
      return t;
    }
    LoginFailedException mapped = null;
    if (f.check("twisted.cred.error.UnauthorizedLogin")) {
      mapped = new UnauthorizedLoginException(f.remoteValue(), f);
    } else if (f.check("twisted.cred.error.UnhandledCredentials")) {
      mapped = new UnhandledCredentialsException(f.remoteValue(), f);
    } else if (f.check("twisted.cred.error.LoginDenied")) {
      mapped = new LoginDeniedException(f.remoteValue(), f);
    } else if (f.check("twisted.cred.error.LoginFailed")) {
      mapped = new LoginFailedException(f.remoteValue(), f);
    }
    return mapped != null ? mapped : t;
  }
}
