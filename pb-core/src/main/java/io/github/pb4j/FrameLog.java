package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.SexpFormatter;
import org.jspecify.annotations.Nullable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders a connection's frames for the TRACE log without what PB login must never log (STYLE
 * §9): the arguments of {@code respond} (the response to the challenge) and the answer to {@code
 * login} (the challenge), whichever side the broker is on. Remembers which request ids were login
 * calls, to recognise their answers.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor.
 */
final class FrameLog {
  private static final ByteString LOGIN = ByteString.ascii("login");
  private static final ByteString RESPOND = ByteString.ascii("respond");
  static final String HIDDEN = "<hidden: PB login secret>";

  /** Login calls in flight, by direction; made when TRACE first renders a frame. */
  private @Nullable Set<Object> loginCallsSent;
  private @Nullable Set<Object> loginCallsReceived;

  /** Returns the frame as Python would print it, login secrets hidden. */
  String render(Object frame, boolean outgoing) {
    if (frame instanceof List<?> m && m.size() >= 3 && m.get(0) instanceof ByteString name) {
      BrokerCommand command = BrokerCommand.fromWire(name);
      if (loginCallsSent == null || loginCallsReceived == null) {
        loginCallsSent = new HashSet<>();
        loginCallsReceived = new HashSet<>();
      }
      Set<Object> calls = outgoing ? loginCallsSent : loginCallsReceived;
      Set<Object> answered = outgoing ? loginCallsReceived : loginCallsSent;
      if (command == BrokerCommand.MESSAGE && m.size() == 7) {
        if (RESPOND.equals(m.get(3))) {
          return SexpFormatter.format(hiding(m, 5));
        }
        if (LOGIN.equals(m.get(3)) && Sexps.isTrue(m.get(4))) {
          calls.add(m.get(1));
        }
      } else if (command == BrokerCommand.ANSWER && answered.remove(m.get(1))) {
        return SexpFormatter.format(hiding(m, 2));
      } else if (command == BrokerCommand.ERROR) {
        answered.remove(m.get(1));
      }
    }
    return SexpFormatter.format(frame);
  }

  /** Forgets the login calls in flight; at the end of the connection. */
  void clear() {
    loginCallsSent = null;
    loginCallsReceived = null;
  }

  private static List<Object> hiding(List<?> frame, int index) {
    List<Object> copy = new ArrayList<>(frame);
    copy.set(index, HIDDEN);
    return copy;
  }
}
