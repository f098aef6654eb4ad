package io.github.pb4j.examples.pbanonclient;

import static io.github.pb4j.examples.ExampleRunner.await;

import io.github.pb4j.PbLogin;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.Anonymous;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.examples.ExampleRunner;
import io.github.pb4j.examples.PythonStr;
import io.github.pb4j.netty.PbClient;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;

/**
 * Logs in to a {@code pbanonserver} twice on one connection, anonymously and as {@code
 * user1}/{@code pass1}, and calls {@code foo(13)} on each perspective. Mirrors the seed's {@code
 * pbAnonClient.py}; Python twin: {@code pb-examples/src/test/python/pbanonclient.py}.
 *
 * <pre>
 * ./pb example pbanonclient [--host 127.0.0.1] [--port 8800]
 * </pre>
 */
public final class PbAnonClient {
  private PbAnonClient() {}

  /** Logs in both ways to {@code host:port} and calls {@code foo(13)} through each perspective. */
  public static void run(ExampleArgs args, PrintStream out) throws Exception {
    try (PbClient client = args.client()) {
      RemoteReference root = await(client.getRootObject());
      CompletableFuture<?> anonymousLogin = loginAndFoo(root, Anonymous.INSTANCE, out);
      CompletableFuture<?> usernameLogin =
          loginAndFoo(root, UsernamePassword.of("user1", "pass1"), out);
      await(CompletableFuture.allOf(anonymousLogin, usernameLogin));
    }
  }

  private static CompletableFuture<?> loginAndFoo(
      RemoteReference root, Credentials credentials, PrintStream out) {
    return PbLogin.login(root, credentials, null)
        .thenCompose(
            perspective -> {
              out.println("got perspective1 ref: " + PythonStr.of(perspective));
              out.println("asking it to foo(13)");
              return perspective.callRemote("foo", 13);
            });
  }

  public static void main(String[] args) {
    ExampleRunner.clientMain("pbanonclient", args, PbAnonClient::run);
  }
}
