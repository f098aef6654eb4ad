package io.github.pb4j.examples.chatserver;

import io.github.pb4j.PortalRoot;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.examples.ExampleRunner;
import io.github.pb4j.examples.chat.ChatService;
import io.github.pb4j.netty.PbServer;
import java.io.PrintStream;

/**
 * The bridge club's chat server: {@link ChatService} with the seed's three users, {@code
 * alice}/{@code 1234}, {@code bob}/{@code secret} and {@code carol}/{@code fido}, kept in memory.
 * Mirrors the seed's {@code chatserver.py}; Python twin: {@code
 * pb-examples/src/test/python/chatserver.py}. {@code ./pb chat-server} serves the same service on a
 * real user store.
 *
 * <pre>
 * ./pb example chatserver [--host 127.0.0.1] [--port 8800]
 * </pre>
 *
 * <p>Prints {@code READY <port>} once listening and nothing else (as the original); joins, leaves
 * and refusals are logged.
 */
public final class ChatServer {
  private ChatServer() {}

  /** Starts the server on {@code host:port} (0 picks a free port). */
  public static PbServer start(ExampleArgs args, PrintStream out) {
    var checker =
        new InMemoryUsernamePasswordDatabaseDontUse()
            .addUser("alice", "1234")
            .addUser("bob", "secret")
            .addUser("carol", "fido");
    ChatService chat = new ChatService();
    return args.serverBuilder()
        .rootFactory(PortalRoot.factory(chat.portal(checker)))
        .build()
        .start();
  }

  public static void main(String[] args) {
    ExampleRunner.serverMain("chatserver", args, ChatServer::start);
  }
}
