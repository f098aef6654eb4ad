package io.github.pb4j.examples.pb6server;

import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.examples.ExampleRunner;
import io.github.pb4j.examples.pb5server.Pb5Server;
import io.github.pb4j.netty.PbServer;
import java.io.PrintStream;
import java.util.Map;

/**
 * A cred-protected PB server with two users, {@code user1}/{@code pass1} and {@code user2}/{@code
 * pass2}: each login gets a new {@code MyPerspective} whose {@code foo(arg)} prints who it is.
 * Mirrors the seed's {@code pb6server.py} (chapter "Authentication with Perspective Broker"),
 * which is {@code pb5server.py} with a second user, so it reuses {@link Pb5Server}'s realm and
 * perspective; Python twin: {@code pb-examples/src/test/python/pb6server.py}.
 *
 * <pre>
 * ./pb example pb6server [--host 127.0.0.1] [--port 8800]
 * </pre>
 *
 * <p>Prints {@code READY <port>} once listening, then {@code I am user1 perspective_foo( 12 )
 * called on <...MyPerspective object at 0x...>} per call.
 */
public final class Pb6Server {
  private Pb6Server() {}

  /** Starts the server on {@code host:port} (0 picks a free port), printing to {@code out}. */
  public static PbServer start(ExampleArgs args, PrintStream out) {
    return Pb5Server.start(args, out, Map.of("user1", "pass1", "user2", "pass2"));
  }

  public static void main(String[] args) {
    ExampleRunner.serverMain("pb6server", args, Pb6Server::start);
  }
}
