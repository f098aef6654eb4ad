package io.github.pb4j.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.jspecify.annotations.Nullable;

/**
 * Runs an action on a signal (SIGHUP, SIGTERM, SIGINT) instead of the JVM's default, for as long
 * as a command runs, through the JDK's {@code sun.misc.Signal} (module {@code jdk.unsupported}),
 * looked up reflectively so that the CLI still runs where it is missing. The action runs on a
 * thread of its own. <em>Thread-safe.</em>
 */
final class Signals {
  private Signals() {}

  /** Puts the previous handler back. */
  interface Restore extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Installs the handler for {@code name} ("HUP", "TERM", "INT"); returns how to put the previous
   * one back, or null if this JVM cannot catch the signal.
   */
  static @Nullable Restore on(String name, Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object sig = signal.getConstructor(String.class).newInstance(name);
      InvocationHandler call = (proxy, method, args) -> {
        if (method.getName().equals("handle")) {
          Thread t = new Thread(action, "signal-" + name);
          t.setDaemon(true);
          t.start();
          return null;
        }
        return method.getName().equals("toString") ? "pb signal handler" : method.invoke(action, args);
      };
      Object h = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handler}, call);
      Method handle = signal.getMethod("handle", signal, handler);
      Object previous = handle.invoke(null, sig, h);
      return () -> {
        try {
          handle.invoke(null, sig, previous);
        } catch (ReflectiveOperationException | RuntimeException e) {
          // The JVM is going away; nothing to restore.
        }
      };
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
