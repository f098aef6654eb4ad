package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A failure sent as a value, as an argument or inside a result: Java form of Twisted's {@code
 * twisted.spread.pb.CopyableFailure}, which a Twisted peer receives as a {@code
 * twisted.python.failure.Failure} (a {@code CopiedFailure}) whose {@code type}, {@code value},
 * {@code parents} and {@code traceback} are those given here. It is what a Buildbot worker passes
 * to a step's {@code complete(failure)}, for example.
 *
 * <p>pb4j sends the same ten-key state, in the same order, as Twisted does ({@code count}, {@code
 * type}, {@code value}, {@code captureVars}, {@code frames}, {@code stack}, {@code tb}, {@code
 * parents}, {@code unsafeTracebacks}, {@code traceback}). A {@link RemoteFailureException} may be
 * sent as a value too: it goes out as the failure it was received as.
 *
 * <pre>{@code
 * step.callRemote("complete", CopyableFailure.of(e));                       // no traceback
 * step.callRemote("complete", CopyableFailure.withTraceback(e));            // the Java stack trace
 * step.callRemote("complete", CopyableFailure.of("myapp.Timeout", "took 30 s"));
 * }</pre>
 *
 * <p><em>Immutable.</em>
 */
public final class CopyableFailure {
  private final String type;
  private final String value;
  private final List<String> parents;
  private final String traceback;
  private final boolean unsafeTracebacks;
  /** Twisted's failure counter: process-global and meaningless, sent because Twisted sends it. */
  private final int count;

  private CopyableFailure(String type, String value, List<String> parents, @Nullable String traceback) {
    this.type = Objects.requireNonNull(type, "type");
    this.value = Objects.requireNonNull(value, "value");
    this.parents = List.copyOf(parents);
    this.unsafeTracebacks = traceback != null;
    this.traceback = traceback != null ? traceback : Failures.TRACEBACK_UNAVAILABLE;
    this.count = Failures.nextCount();
  }

  /**
   * Returns the failure of {@code t}, without a traceback ("Traceback unavailable", as Twisted
   * sends by default). Its type and parents are those pb4j sends when a remote method throws
   * {@code t}: the Java class name and its class chain followed by the closest Python built-in
   * (so a Python peer can {@code trap(ValueError)} an {@link IllegalArgumentException}); a {@link
   * PbApplicationException}'s remote type; a {@link RemoteFailureException}'s remote type, value,
   * parents and traceback, unchanged.
   */
  public static CopyableFailure of(Throwable t) {
    return t instanceof RemoteFailureException received ? Failures.passOn(received) : Failures.toCopyable(t, false);
  }

  /** As {@link #of(Throwable)}, with {@code t}'s Java stack trace as the traceback. */
  public static CopyableFailure withTraceback(Throwable t) {
    return Failures.toCopyable(t, true);
  }

  /**
   * Returns a failure of the Python exception type {@code type} (a qualified name, e.g. {@code
   * "builtins.ValueError"} or {@code "buildbot_worker.exceptions.AbandonChain"}) with the text
   * {@code value}, without a traceback; its parents are the type and Python's exception roots.
   */
  public static CopyableFailure of(String type, String value) {
    return new CopyableFailure(type, value, Failures.withRoots(type), null);
  }

  /**
   * Returns a failure as {@link #of(String, String)} does, with {@code parents} (most derived
   * first, as Python's method resolution order; what the peer's {@code check} and {@code trap}
   * match) and {@code traceback} (null: none).
   */
  public static CopyableFailure of(String type, String value, List<String> parents, @Nullable String traceback) {
    return new CopyableFailure(type, value, parents, traceback);
  }

  /** Returns the qualified name of the exception type. */
  public String type() {
    return type;
  }

  /** Returns the exception's text: Twisted's {@code str(failure.value)}. */
  public String value() {
    return value;
  }

  /** Returns the qualified names of the type and its parents, most derived first. */
  public List<String> parents() {
    return parents;
  }

  /** Returns the traceback text sent: {@code "Traceback unavailable\n"} when there is none. */
  public String traceback() {
    return traceback;
  }

  /** Returns true if a traceback is sent (Twisted's {@code unsafeTracebacks}). */
  public boolean hasTraceback() {
    return unsafeTracebacks;
  }

  /**
   * Returns the failure as a {@link RemoteFailureException}, as a peer that receives it sees it
   * (for tests, and to complete a future with it).
   */
  public RemoteFailureException toException() {
    return new RemoteFailureException(type, value, traceback, parents, state());
  }

  /** Returns Twisted's {@code CopyableFailure.getStateToCopy()}: the ten keys, in Twisted's order. */
  Map<String, @Nullable Object> state() {
    Map<String, @Nullable Object> state = new LinkedHashMap<>();
    state.put("count", count);
    state.put("type", ByteString.utf8(type));
    state.put("value", value);
    state.put("captureVars", Boolean.FALSE);
    state.put("frames", new ArrayList<>());
    state.put("stack", new ArrayList<>());
    state.put("tb", null);
    state.put("parents", new ArrayList<>(parents));
    state.put("unsafeTracebacks", unsafeTracebacks);
    state.put("traceback", traceback);
    return state;
  }

  @Override
  public String toString() {
    return "CopyableFailure[" + type + ": " + value + "]";
  }
}
