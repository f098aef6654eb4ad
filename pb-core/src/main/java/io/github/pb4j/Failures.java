package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.JellyException;
import io.github.pb4j.jelly.PythonRepr;
import io.github.pb4j.jelly.internal.TypeCoercion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Conversion between Java exceptions and the state of Twisted's {@code
 * twisted.spread.pb.CopyableFailure} / {@code CopiedFailure}, both ways.
 *
 * <p>Sent failures carry the same ten keys, in the same order, as Twisted's. A Java exception is
 * sent with its Java class name as the type and, as parents, its class chain followed by the
 * closest Python built-in (so a Python caller can {@code trap(ValueError)} an {@link
 * IllegalArgumentException}) and Python's exception roots.
 */
final class Failures {
  /** The wire name of {@link CopyableFailure}. */
  static final ByteString COPYABLE_FAILURE = ByteString.ascii("twisted.spread.pb.CopyableFailure");
  static final String TRACEBACK_UNAVAILABLE = "Traceback unavailable\n";
  private static final List<String> PYTHON_ROOTS =
      List.of("builtins.Exception", "builtins.BaseException", "builtins.object");
  /** Twisted's failure counter is process-global and meaningless; so is ours. */
  private static final AtomicInteger COUNT = new AtomicInteger();

  private Failures() {}

  /**
   * Returns true for an error after which the JVM cannot be trusted to go on: a {@link
   * VirtualMachineError} ({@link OutOfMemoryError}, {@link InternalError}, {@link UnknownError})
   * other than {@link StackOverflowError}, whose stack has unwound by the time it is caught. Such
   * an error ends the connection it happened on; everything else application code throws
   * (including {@link AssertionError} and {@link LinkageError}) is answered as a failure.
   */
  static boolean isFatal(Throwable t) {
    return t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
  }

  static CopyableFailure toCopyable(Throwable t, boolean unsafeTracebacks) {
    String type;
    List<String> parents;
    String value = t.getMessage() == null ? "" : t.getMessage();
    if (t instanceof PbApplicationException e) {
      type = e.remoteType();
      parents = e.remoteParents();
    } else if (t instanceof io.github.pb4j.cred.LoginFailedException e) {
      type = e.twistedType();
      parents = e.twistedParents();
      value = e.twistedValue(); // as Twisted's checkers send it: often empty
    } else if (t instanceof NoSuchRemoteMethodException e) {
      type = "twisted.spread.flavors.NoSuchMethod";
      parents = withRoots("twisted.spread.flavors.NoSuchMethod", "builtins.AttributeError");
    } else if (t instanceof MissingAttributeException) {
      type = "builtins.AttributeError";
      parents = withRoots("builtins.AttributeError");
    } else if (t instanceof JellyException e) {
      type = e.twistedType();
      parents = withRoots(e.twistedType(), pythonParentOf(e.twistedType()));
    } else if (t instanceof RemoteFailureException e) {
      type = e.remoteType();
      parents = e.parents().isEmpty() ? withRoots(type) : e.parents();
      value = e.remoteValue();
    } else {
      type = t.getClass().getName();
      parents = javaParents(t);
    }
    return CopyableFailure.of(type, value, parents, unsafeTracebacks ? stackTrace(t) : null);
  }

  /** A received failure sent on as a value: as it was received, with the traceback its sender sent. */
  static CopyableFailure passOn(RemoteFailureException e) {
    String traceback = e.remoteTraceback();
    boolean none = traceback.isEmpty() || traceback.equals(TRACEBACK_UNAVAILABLE);
    return CopyableFailure.of(e.remoteType(), e.remoteValue(),
        e.parents().isEmpty() ? withRoots(e.remoteType()) : e.parents(), none ? null : traceback);
  }

  static int nextCount() {
    return COUNT.incrementAndGet();
  }

  static List<String> withRoots(String... names) {
    List<String> result = new ArrayList<>();
    for (String n : names) {
      if (n != null && !result.contains(n)) {
        result.add(n);
      }
    }
    result.addAll(PYTHON_ROOTS);
    return result;
  }

  private static @Nullable String pythonParentOf(String twistedType) {
    switch (twistedType) {
      case "builtins.UnicodeDecodeError":
        return "builtins.ValueError";
      case "builtins.RecursionError":
        return "builtins.RuntimeError";
      default:
        return null;
    }
  }

  private static List<String> javaParents(Throwable t) {
    List<String> result = new ArrayList<>();
    for (Class<?> c = t.getClass(); c != null && c != Throwable.class && c != Object.class; c = c.getSuperclass()) {
      result.add(c.getName());
    }
    String builtin = closestBuiltin(t);
    if (builtin != null) {
      result.add(builtin);
    }
    result.addAll(PYTHON_ROOTS);
    return result;
  }

  private static @Nullable String closestBuiltin(Throwable t) {
    if (t instanceof IllegalArgumentException) {
      return "builtins.ValueError";
    }
    if (t instanceof UnsupportedOperationException) {
      return "builtins.NotImplementedError";
    }
    if (t instanceof IndexOutOfBoundsException) {
      return "builtins.IndexError";
    }
    if (t instanceof java.util.NoSuchElementException) {
      return "builtins.LookupError";
    }
    if (t instanceof ArithmeticException) {
      return "builtins.ArithmeticError";
    }
    if (t instanceof IllegalStateException) {
      return "builtins.RuntimeError";
    }
    if (t instanceof java.util.concurrent.TimeoutException) {
      return "builtins.TimeoutError";
    }
    return null;
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  /** Builds the exception for a received CopyableFailure state. */
  static RemoteFailureException fromState(@Nullable Object state) {
    if (!(state instanceof Map<?, ?> map)) {
      return fromBody(state);
    }
    String type = text(get(map, "type"), "builtins.Exception");
    String value = text(get(map, "value"), "");
    String traceback = text(get(map, "traceback"), "");
    List<String> parents = new ArrayList<>();
    if (get(map, "parents") instanceof List<?> list) {
      for (Object o : list) {
        parents.add(text(o, ""));
      }
    }
    return new RemoteFailureException(type, value, traceback, parents, map);
  }

  /** Builds the exception for an error body that is not a failure: Twisted errbacks with the value itself. */
  static RemoteFailureException fromBody(@Nullable Object body) {
    if (body instanceof RemoteFailureException e) {
      return e;
    }
    String type = TypeCoercion.pythonTypeName(body);
    return new RemoteFailureException(type, PythonRepr.of(body), "", List.of(), body);
  }

  private static @Nullable Object get(Map<?, ?> map, String key) {
    Object v = map.get(key);
    return v != null ? v : map.get(ByteString.utf8(key));
  }

  private static String text(@Nullable Object v, String otherwise) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof ByteString b) {
      return b.isAscii() ? b.toStringUtf8() : b.toPythonRepr();
    }
    return v == null ? otherwise : PythonRepr.of(v);
  }

  /** Python's AttributeError for a missing perspective_, view_ or observe_ method. */
  static final class MissingAttributeException extends io.github.pb4j.banana.PbException {
    private static final long serialVersionUID = 1L;

    MissingAttributeException(String message) {
      super(message);
    }
  }
}
