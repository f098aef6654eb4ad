package io.github.pb4j.buildbot.internal;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.JellyRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A command's failure sent to the master as the argument of {@code complete}: Twisted's {@code
 * pb.CopyableFailure}, which the master raises as the step's exception. <em>Immutable.</em>
 */
public record CommandFailure(String type, String value, String traceback) {
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final String WIRE_NAME = "twisted.spread.pb.CopyableFailure";

  /** The failure of a Java exception; its type is its class name, its traceback the stack. */
  public static CommandFailure of(Throwable t) {
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    String type = t instanceof io.github.pb4j.PbApplicationException p ? p.remoteType() : t.getClass().getName();
    return new CommandFailure(type, t.getMessage() == null ? "" : t.getMessage(), trace.toString());
  }

  /** The registry that lets a broker send {@link CommandFailure}s. */
  public static JellyRegistry registry() {
    return JellyRegistry.builder().registerSender(WIRE_NAME, CommandFailure.class, CommandFailure::state).build();
  }

  /** The copyable state Twisted's {@code CopyableFailure.getStateToCopy} produces. */
  public Map<String, @Nullable Object> state() {
    Map<String, @Nullable Object> state = new LinkedHashMap<>();
    state.put("value", value);
    state.put("type", ByteString.utf8(type));
    state.put("tb", null);
    state.put("frames", new ArrayList<>());
    state.put("stack", new ArrayList<>());
    state.put("count", COUNT.incrementAndGet());
    state.put("captureVars", Boolean.FALSE);
    state.put("parents", new ArrayList<>(List.of(type, "builtins.Exception", "builtins.BaseException", "builtins.object")));
    state.put("unsafeTracebacks", Boolean.TRUE);
    state.put("traceback", traceback);
    return state;
  }
}
