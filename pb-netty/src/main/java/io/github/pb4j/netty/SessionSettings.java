package io.github.pb4j.netty;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.cred.Credentials;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link PbSession.Builder} collected, fixed when the session is built, and how to make the
 * client of each attempt.
 *
 * <p><em>Immutable</em> (the mind and listeners are the program's objects).
 */
record SessionSettings(
    String host,
    int port,
    BrokerOptions options,
    Duration connectTimeout,
    Duration attachTimeout,
    @Nullable EventLoopGroup group,
    @Nullable SslContext sslContext,
    boolean verifyHostname,
    @Nullable Credentials credentials,
    @Nullable Object mind,
    boolean certificateLogin,
    Backoff backoff,
    List<PbSession.Listener> listeners,
    @Nullable Consumer<PbClient.Builder> clientSettings) {

  /** Starts one attempt's attachment: the root object, or a login with credentials or certificate. */
  CompletableFuture<io.github.pb4j.RemoteReference> attach(PbClient c) {
    if (certificateLogin) {
      return c.getRootObject()
          .thenCompose(root -> io.github.pb4j.PbLogin.loginWithCertificate(root, mind));
    }
    return credentials == null ? c.getRootObject() : c.loginWithMindValue(credentials, mind);
  }

  /** Returns the client of one attempt, on the session's event loop group. */
  PbClient newClient(EventLoopGroup sessionGroup) {
    PbClient.Builder b = PbClient.builder()
        .host(host)
        .port(port)
        .options(options)
        .connectTimeout(connectTimeout)
        .eventLoopGroup(sessionGroup);
    if (sslContext != null) {
      b.sslContext(sslContext).verifyHostname(verifyHostname);
    }
    if (clientSettings != null) {
      clientSettings.accept(b);
    }
    return b.build();
  }
  /** A session's options unless told otherwise: the defaults, with the client probe on. */
  static final BrokerOptions DEFAULT_OPTIONS =
      BrokerOptions.DEFAULT.toBuilder().clientProbe(io.github.pb4j.PeerProbe.SERVER_DEFAULT).build();

  /** Completes {@code f} as a stage ended, without the wrappers of dependent stages. */
  static <T> void complete(
      CompletableFuture<T> f, @Nullable T value, @Nullable Throwable e) {
    if (e != null) {
      f.completeExceptionally(unwrap(e));
    } else {
      f.complete(value);
    }
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

}
