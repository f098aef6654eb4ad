package io.github.pb4j.examples.pbsimpleclient;

import static io.github.pb4j.examples.ExampleRunner.await;

import io.github.pb4j.RemoteReference;
import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.examples.ExampleRunner;
import io.github.pb4j.examples.PythonStr;
import io.github.pb4j.netty.PbClient;
import java.io.PrintStream;

/**
 * Gets the root object of a {@code pbsimpleserver} and calls {@code echo("hello network")},
 * printing {@code server echoed: hello network}. Mirrors {@code pbsimpleclient.py} of Twisted's
 * "Using Perspective Broker" chapter; Python twin: {@code
 * pb-examples/src/test/python/pbsimpleclient.py}.
 *
 * <pre>
 * ./pb example pbsimpleclient [--host 127.0.0.1] [--port 8800]
 * </pre>
 */
public final class PbSimpleClient {
  private PbSimpleClient() {}

  /** Connects to {@code host:port}, calls {@code echo} and prints the answer to {@code out}. */
  public static void run(ExampleArgs args, PrintStream out) throws Exception {
    try (PbClient client = args.client()) {
      RemoteReference root = await(client.getRootObject());
      Object echo = await(root.callRemote("echo", "hello network"));
      out.println("server echoed: " + PythonStr.of(echo));
    }
  }

  public static void main(String[] args) {
    ExampleRunner.clientMain("pbsimpleclient", args, PbSimpleClient::run);
  }
}
