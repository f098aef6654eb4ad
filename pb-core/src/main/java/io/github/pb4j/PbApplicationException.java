package io.github.pb4j;

import io.github.pb4j.banana.PbException;
import java.util.List;
import java.util.Objects;

/**
 * The expected error of a remote method: thrown by application code to send an error to the
 * caller without logging a stack trace. Java form of Twisted's {@code pb.Error}.
 *
 * <p>A Twisted caller sees type {@code twisted.spread.pb.Error} (or the {@link #remoteType()} you
 * give, with {@code pb.Error} among its parents, so {@code failure.trap(pb.Error)} works) and the
 * message as its value.
 */
public class PbApplicationException extends PbException {
  private static final long serialVersionUID = 1L;

  /** Twisted's {@code pb.Error}. */
  public static final String TWISTED_TYPE = "twisted.spread.pb.Error";

  private final String remoteType;

  public PbApplicationException(String message) {
    this(TWISTED_TYPE, message);
  }

  /**
   * Creates an error sent with the given qualified type name, e.g. {@code "myapp.errors.NotFound"}.
   */
  public PbApplicationException(String remoteType, String message) {
    super(message);
    this.remoteType = Objects.requireNonNull(remoteType, "remoteType");
  }

  /** Returns the type name the caller sees. */
  public String remoteType() {
    return remoteType;
  }

  /** Returns the type names a Twisted caller's {@code check()} and {@code trap()} match against. */
  public List<String> remoteParents() {
    return remoteType.equals(TWISTED_TYPE)
        ? List.of(TWISTED_TYPE, "builtins.Exception", "builtins.BaseException", "builtins.object")
        : List.of(remoteType, TWISTED_TYPE, "builtins.Exception", "builtins.BaseException", "builtins.object");
  }
}
