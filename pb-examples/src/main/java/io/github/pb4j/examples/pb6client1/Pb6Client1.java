package io.github.pb4j.examples.pb6client1;

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
 * Logs in as {@code user1}/{@code pass1} and calls {@code foo(13)} on the perspective it gets.
 * Mirrors the seed's {@code pb6client1.py}; Python twin: {@code
 * pb-examples/src/test/python/pb6client1.py}. Unlike the seed's client, it exits once the call is
 * answered.
 *
 * <pre>
 * ./pb example pb6client1 [--host 127.0.0.1] [--port 8800]
 * </pre>
 */
public final class Pb6Client1 {
  private Pb6Client1() {}

  /** Logs in to {@code host:port}, calls {@code foo} and prints what it does to {@code out}. */
  public static void run(ExampleArgs args, PrintStream out) throws Exception {
    try (PbClient client = args.client()) {
      RemoteReference root = await(client.getRootObject());
      RemoteReference perspective =
          await(PbLogin.login(root, UsernamePassword.of("user1", "pass1"), null));
      out.println("got perspective1 ref: " + PythonStr.of(perspective));
      out.println("asking it to foo(13)");
      await(perspective.callRemote("foo", 13));
    }
  }

  public static void main(String[] args) {
    ExampleRunner.clientMain("pb6client1", args, Pb6Client1::run);
  }
}
