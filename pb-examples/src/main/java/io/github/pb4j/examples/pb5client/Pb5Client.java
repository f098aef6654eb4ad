package io.github.pb4j.examples.pb5client;

import static io.github.pb4j.examples.ExampleRunner.await;

import io.github.pb4j.PbLogin;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.examples.ExampleRunner;
import io.github.pb4j.examples.PythonStr;
import io.github.pb4j.netty.PbClient;
import java.io.PrintStream;

/**
 * Logs in as {@code user1}/{@code pass1} and calls {@code foo(12)} on the perspective it gets.
 * Mirrors the seed's {@code pb5client.py}; Python twin: {@code
 * pb-examples/src/test/python/pb5client.py}. Unlike the seed's client, it exits once the call is
 * answered.
 *
 * <pre>
 * ./pb example pb5client [--host 127.0.0.1] [--port 8800]
 * </pre>
 */
public final class Pb5Client {
  private Pb5Client() {}

  /** Logs in to {@code host:port}, calls {@code foo} and prints what it does to {@code out}. */
  public static void run(ExampleArgs args, PrintStream out) throws Exception {
    try (PbClient client = args.client()) {
      RemoteReference root = await(client.getRootObject());
      RemoteReference perspective =
          await(PbLogin.login(root, UsernamePassword.of("user1", "pass1"), null));
      out.println("got perspective ref: " + PythonStr.of(perspective));
      out.println("asking it to foo(12)");
      await(perspective.callRemote("foo", 12));
    }
  }

  public static void main(String[] args) {
    ExampleRunner.clientMain("pb5client", args, Pb5Client::run);
  }
}
