package io.github.pb4j.examples.pb5server;

import io.github.pb4j.Avatar;
import io.github.pb4j.PortalRoot;
import io.github.pb4j.Remote;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.examples.ExampleRunner;
import io.github.pb4j.examples.PythonStr;
import io.github.pb4j.netty.PbServer;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A cred-protected PB server with one user, {@code user1}/{@code pass1}: each login gets a new
 * {@code MyPerspective} whose {@code foo(arg)} prints who it is. Mirrors the seed's {@code
 * pb5server.py} (chapter "Authentication with Perspective Broker"); Python twin: {@code
 * pb-examples/src/test/python/pb5server.py}.
 *
 * <pre>
 * ./pb example pb5server [--host 127.0.0.1] [--port 8800]
 * </pre>
 *
 * <p>Prints {@code READY <port>} once listening, then {@code I am user1 perspective_foo( 12 )
 * called on <...MyPerspective object at 0x...>} per call.
 */
public final class Pb5Server {
  private Pb5Server() {}

  /** The avatar: Twisted's {@code MyPerspective(pb.Avatar)}. <em>Thread-safe.</em> */
  public static final class MyPerspective implements Avatar {
    private final String name;
    private final PrintStream out;

    MyPerspective(String name, PrintStream out) {
      this.name = name;
      this.out = out;
    }

    /** Prints who was called with what: Twisted's {@code perspective_foo}. */
    @Remote
    public void foo(@Nullable Object arg) {
      out.println(
          "I am " + name + " perspective_foo( " + PythonStr.of(arg) + " ) called on " + this);
    }

    @Override
    public String toString() {
      return PythonStr.objectRepr(this);
    }
  }

  /** Makes a new perspective per login: Twisted's {@code MyRealm}. <em>Thread-safe.</em> */
  static final class MyRealm implements Realm {
    private final PrintStream out;

    MyRealm(PrintStream out) {
      this.out = out;
    }

    @Override
    public CompletionStage<LoginResult<?>> requestAvatar(
        AvatarId avatarId, @Nullable Object mind, Class<?>... interfaces) {
      if (!Arrays.asList(interfaces).contains(Avatar.class)) {
        return CompletableFuture.failedFuture(
            new UnsupportedOperationException("MyRealm only hands out Avatars"));
      }
      return CompletableFuture.completedFuture(
          LoginResult.of(Avatar.class, new MyPerspective(avatarId.username(), out)));
    }
  }

  /** Starts the server on {@code host:port} (0 picks a free port), printing to {@code out}. */
  public static PbServer start(ExampleArgs args, PrintStream out) {
    return start(args, out, Map.of("user1", "pass1"));
  }

  /**
   * Starts the server with {@code users} (name to password) on {@code host:port} (0 picks a free
   * port), printing to {@code out}.
   */
  public static PbServer start(ExampleArgs args, PrintStream out, Map<String, String> users) {
    var checker = new InMemoryUsernamePasswordDatabaseDontUse();
    users.forEach(checker::addUser);
    Portal portal = Portal.builder().realm(new MyRealm(out)).checker(checker).build();
    return args.serverBuilder()
        .rootFactory(PortalRoot.factory(portal))
        .build()
        .start();
  }

  public static void main(String[] args) {
    ExampleRunner.serverMain("pb5server", args, Pb5Server::start);
  }
}
