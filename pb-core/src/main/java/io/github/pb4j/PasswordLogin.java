package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.cred.UsernamePassword;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of pb4j's password login over TLS ({@link PortalRoot#loginPlain}): {@code
 * loginPlain(username)} answers a taker, whose {@code respond(password, mind)} answers the avatar.
 * A server without the method answers {@code NoSuchMethod} to the first call, before any password
 * is sent, and the login falls back to Twisted's challenge.
 */
final class PasswordLogin {
  private static final Logger logger = LoggerFactory.getLogger(PasswordLogin.class);

  private PasswordLogin() {}

  /** Logs in with {@code credentials} over {@code root}'s connection, which must have TLS. */
  static CompletableFuture<@Nullable Object> overTls(
      RemoteReference root,
      UsernamePassword credentials,
      @Nullable Object mind,
      Supplier<CompletableFuture<@Nullable Object>> fallback) {
    if (root.broker().tlsSession().isEmpty()) {
      throw new IllegalStateException("password login without TLS");
    }
    CompletableFuture<@Nullable Object> taker =
        root.callRemote("loginPlain", credentials.username());
    return taker.handle((answer, error) -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
            ? error.getCause() : error;
        if (cause instanceof RemoteFailureException f
            && (f.check("twisted.spread.flavors.NoSuchMethod") || f.check("builtins.AttributeError")
                || f.check("exceptions.AttributeError"))) {
          logger.debug("[conn {}] server has no loginPlain: using PB's challenge login",
              root.broker().connectionId());
          return fallback.get();
        }
        return CompletableFuture.<@Nullable Object>failedFuture(cause);
      }
      if (!(answer instanceof RemoteReference passwordTaker)) {
        return CompletableFuture.<@Nullable Object>failedFuture(new PbProtocolException(
            "loginPlain answer: " + answer + " (expected: a reference)"));
      }
      byte[] password = credentials.password();
      try {
        return passwordTaker.callRemote("respond", ByteString.of(password), mind)
            .whenComplete((v, e) -> passwordTaker.release());
      } finally {
        Arrays.fill(password, (byte) 0);
      }
    }).thenCompose(f -> f);
  }
}
