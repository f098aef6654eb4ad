package io.github.pb4j.examples.typedclients;

import static io.github.pb4j.examples.ExampleRunner.await;

import io.github.pb4j.PbLogin;
import io.github.pb4j.RemoteProxy;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.examples.PythonStr;
import io.github.pb4j.examples.chatclient.ChatClient;
import io.github.pb4j.examples.typedclients.SeedApis.ChatGroup;
import io.github.pb4j.examples.typedclients.SeedApis.ChatPerspective;
import io.github.pb4j.examples.typedclients.SeedApis.Echoer;
import io.github.pb4j.examples.typedclients.SeedApis.FooPerspective;
import io.github.pb4j.netty.PbClient;
import java.io.PrintStream;

/**
 * The seed's clients ({@code pbsimpleclient.py}, {@code pb5client.py}, {@code chatclient.py})
 * written against the typed interfaces of {@link SeedApis}: no method names in strings, no casts
 * of results. Each prints what its untyped twin prints.
 *
 * <pre>
 * ./pb example typed-pbsimpleclient [--host 127.0.0.1] [--port 8800]
 * ./pb example typed-pb5client [--port 8800]
 * ./pb example typed-chatclient [--port 8800]
 * </pre>
 */
public final class TypedClients {
  private TypedClients() {}

  /** {@code pbsimpleclient.py}: calls {@code echo} on the root. */
  public static void pbSimple(ExampleArgs args, PrintStream out) throws Exception {
    try (PbClient client = args.client()) {
      Echoer root = RemoteProxy.create(Echoer.class, await(client.getRootObject()));
      out.println("server echoed: " + await(root.echo("hello network")));
    }
  }

  /** {@code pb5client.py}: logs in as user1 and calls {@code foo(12)}. */
  public static void pb5(ExampleArgs args, PrintStream out) throws Exception {
    try (PbClient client = args.client()) {
      RemoteReference reference =
          await(
              PbLogin.login(
                  await(client.getRootObject()), UsernamePassword.of("user1", "pass1"), null));
      FooPerspective perspective = RemoteProxy.create(FooPerspective.class, reference);
      out.println("got perspective ref: " + PythonStr.of(reference));
      out.println("asking it to foo(12)");
      await(perspective.foo(12));
    }
  }

  /** {@code chatclient.py}: alice joins {@code #NeedAFourth} and talks to it. */
  public static void chat(ExampleArgs args, PrintStream out) throws Exception {
    try (PbClient client = args.client()) {
      RemoteReference reference =
          await(
              PbLogin.login(
                  await(client.getRootObject()),
                  UsernamePassword.of("alice", "1234"),
                  new ChatClient.Client(out)));
      ChatPerspective perspective = RemoteProxy.create(ChatPerspective.class, reference);
      out.println("connected, joining group #NeedAFourth");
      ChatGroup group = await(perspective.joinGroup("#NeedAFourth"));
      out.println("joined group, now sending a message to all members");
      await(group.send("You can call me Al."));
    }
  }
}
