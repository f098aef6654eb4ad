package io.github.pb4j.examples.pb6client2;

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
 * Logs in as {@code user2}/{@code pass2} and calls {@code foo(14)} on the perspective it gets.
 * Mirrors the seed's {@code pb6client2.py}; Python twin: {@code
 * pb-examples/src/test/python/pb6client2.py}. Unlike the seed's client, it exits once the call is
 * answered.
 *
 * <pre>
 * ./pb example pb6client2 [--host 127.0.0.1] [--port 8800]
 * </pre>
 */
public final class Pb6Client2 {
  private Pb6Client2() {}

  /** Logs in to {@code host:port}, calls {@code foo} and prints what it does to {@code out}. */
  public static void run(ExampleArgs args, PrintStream out) throws Exception {
    try (PbClient client = args.client()) {
      RemoteReference root = await(client.getRootObject());
      RemoteReference perspective =
          await(PbLogin.login(root, UsernamePassword.of("user2", "pass2"), null));
      out.println("got perspective2 ref: " + PythonStr.of(perspective));
      out.println("asking it to foo(14)");
      await(perspective.callRemote("foo", 14));
    }
  }

  public static void main(String[] args) {
    ExampleRunner.clientMain("pb6client2", args, Pb6Client2::run);
  }
}
