package io.github.pb4j.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/**
 * Runs an action on SIGHUP, through the JDK's {@code sun.misc.Signal} (module {@code
 * jdk.unsupported}), looked up reflectively so that the CLI still runs where it is missing.
 */
final class HangUp {
  private HangUp() {}

  /** Installs the handler; returns false if this JVM cannot catch SIGHUP. */
  static boolean onSignal(Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object hup = signal.getConstructor(String.class).newInstance("HUP");
      InvocationHandler call = (proxy, method, args) -> {
        if (method.getName().equals("handle")) {
          action.run();
        }
        return null;
      };
      Object h = Proxy.newProxyInstance(HangUp.class.getClassLoader(), new Class<?>[] {handler}, call);
      signal.getMethod("handle", signal, handler).invoke(null, hup, h);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
