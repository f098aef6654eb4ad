package io.github.pb4j.examples.pbsimpleserver;

import io.github.pb4j.Remote;
import io.github.pb4j.Root;
import io.github.pb4j.examples.ExampleArgs;
import io.github.pb4j.examples.ExampleRunner;
import io.github.pb4j.examples.PythonStr;
import io.github.pb4j.netty.PbServer;
import java.io.PrintStream;
import org.jspecify.annotations.Nullable;

/**
 * A PB server whose root object has {@code echo(x)}, which prints and returns its argument
 * unchanged, whatever its type. Mirrors {@code pbsimpleserver.py} of Twisted's "Using Perspective
 * Broker" chapter; Python twin: {@code pb-examples/src/test/python/pbsimpleserver.py}.
 *
 * <pre>
 * ./pb example pbsimpleserver [--host 127.0.0.1] [--port 8800]
 * </pre>
 *
 * <p>Prints {@code READY <port>} once listening, then {@code echoing: <value>} per call.
 */
public final class PbSimpleServer {
  private PbSimpleServer() {}

  /** The root object: Twisted's {@code Echoer(pb.Root)}. <em>Thread-safe.</em> */
  public static final class Echoer implements Root {
    private final PrintStream out;

    Echoer(PrintStream out) {
      this.out = out;
    }

    /** Prints and returns {@code st}: Twisted's {@code remote_echo}. */
    @Remote
    public @Nullable Object echo(@Nullable Object st) {
      out.println("echoing: " + PythonStr.of(st));
      return st;
    }
  }

  /** Starts the server on {@code host:port} (0 picks a free port), printing to {@code out}. */
  public static PbServer start(ExampleArgs args, PrintStream out) {
    return args.serverBuilder().root(new Echoer(out)).build().start();
  }

  public static void main(String[] args) {
    ExampleRunner.serverMain("pbsimpleserver", args, PbSimpleServer::start);
  }
}
