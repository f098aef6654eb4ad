package io.github.pb4j.examples.chatclient;

import static io.github.pb4j.examples.ExampleRunner.await;

import io.github.pb4j.PbLogin;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.examples.ExampleRunner;
import io.github.pb4j.examples.chat.ChatText;
import io.github.pb4j.netty.PbClient;
import java.io.PrintStream;

/**
 * Logs in to a chat server as {@code alice}/{@code 1234} with a mind that prints what the server
 * sends, joins {@code #NeedAFourth} and says {@code You can call me Al.} to its members. Mirrors
 * the seed's {@code chatclient.py}; Python twin: {@code pb-examples/src/test/python/chatclient.py}.
 * {@code ./pb chat} is the interactive client.
 *
 * <pre>
 * ./pb example chatclient [--host 127.0.0.1] [--port 8800]
 * </pre>
 */
public final class ChatClient {
  private ChatClient() {}

  /** The client-side object the server calls: the seed's {@code Client(pb.Referenceable)}. */
  public static final class Client implements Referenceable {
    private final PrintStream out;

    public Client(PrintStream out) {
      this.out = out;
    }

    /**
     * Prints a message from the server: Twisted's {@code remote_print}, made printable by the
     * chat's display rule ({@link ChatText}), so a hostile server cannot fake lines.
     */
    @Remote
    public void print(String message) {
      out.println(ChatText.neutralise(message));
    }
  }

  /** Logs in to {@code host:port}, joins, sends one message and prints what happens. */
  public static void run(ExampleArgs args, PrintStream out) throws Exception {
    try (PbClient client = args.client()) {
      RemoteReference root = await(client.getRootObject());
      Client mind = new Client(out);
      RemoteReference perspective =
          await(PbLogin.login(root, UsernamePassword.of("alice", "1234"), mind));
      out.println("connected, joining group #NeedAFourth");
      RemoteReference group =
          (RemoteReference) await(perspective.callRemote("joinGroup", "#NeedAFourth"));
      out.println("joined group, now sending a message to all members");
      await(group.callRemote("send", "You can call me Al."));
    }
  }

  public static void main(String[] args) {
    ExampleRunner.clientMain("chatclient", args, ChatClient::run);
  }
}
