package io.github.pb4j.examples.pbanonserver;

import io.github.pb4j.Avatar;
import io.github.pb4j.PortalRoot;
import io.github.pb4j.Remote;
import io.github.pb4j.cred.AllowAnonymousAccess;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A PB server that allows both username/password logins ({@code user1}/{@code pass1}, {@code
 * user2}/{@code pass2}) and anonymous ones: named users get a {@code MyPerspective} with their
 * name, anonymous users one named {@code Anonymous}. Mirrors the seed's {@code pbAnonServer.py};
 * Python twin: {@code pb-examples/src/test/python/pbanonserver.py}.
 *
 * <pre>
 * ./pb example pbanonserver [--host 127.0.0.1] [--port 8800]
 * </pre>
 *
 * <p>Prints {@code READY <port>} once listening, then {@code I am user1. perspective_foo(13) called
 * on <...>.} per call. (The Python original logs to stdout; logs go to stderr here.)
 */
public final class PbAnonServer {
  private PbAnonServer() {}

  /** The avatar of every login: Twisted's {@code MyPerspective(Avatar)}. <em>Thread-safe.</em> */
  public static final class MyPerspective implements Avatar {
    private final String name;
    private final PrintStream out;

    MyPerspective(String name, PrintStream out) {
      this.name = name;
      this.out = out;
    }

    /** Prints the argument and this avatar's name: Twisted's {@code perspective_foo}. */
    @Remote
    public void foo(@Nullable Object arg) {
      out.println(
          "I am " + name + ".  perspective_foo(" + PythonStr.of(arg) + ") called on " + this + ".");
    }

    @Override
    public String toString() {
      return PythonStr.objectRepr(this);
    }
  }

  /** Makes a perspective for named and anonymous users: Twisted's {@code MyRealm}. */
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
            new UnsupportedOperationException("MyRealm only handles Avatars"));
      }
      String name = avatarId.isAnonymous() ? "Anonymous" : avatarId.username();
      return CompletableFuture.completedFuture(
          LoginResult.of(Avatar.class, new MyPerspective(name, out)));
    }
  }

  /** Starts the server on {@code host:port} (0 picks a free port), printing to {@code out}. */
  public static PbServer start(ExampleArgs args, PrintStream out) {
    Portal portal =
        Portal.builder()
            .realm(new MyRealm(out))
            .checker(
                new InMemoryUsernamePasswordDatabaseDontUse()
                    .addUser("user1", "pass1")
                    .addUser("user2", "pass2"))
            .checker(new AllowAnonymousAccess())
            .build();
    return args.serverBuilder()
        .rootFactory(PortalRoot.factory(portal))
        .build()
        .start();
  }

  public static void main(String[] args) {
    ExampleRunner.serverMain("pbanonserver", args, PbAnonServer::start);
  }
}
