package io.github.pb4j;

import io.github.pb4j.banana.PbException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A call failed on the peer. Java form of Twisted's {@code CopiedFailure} / {@code
 * pb.RemoteError}: carries the remote exception's qualified type name (e.g. {@code
 * builtins.ValueError}), its text, the remote traceback text (usually {@code "Traceback
 * unavailable"}) and the type names of its parents, for {@link #check}.
 */
public final class RemoteFailureException extends PbException {
  private static final long serialVersionUID = 1L;

  private final String remoteType;
  private final String remoteValue;
  private final String remoteTraceback;
  private final List<String> parents;
  private final transient @Nullable Object body;

  public RemoteFailureException(
      String remoteType, String remoteValue, String remoteTraceback, List<String> parents, @Nullable Object body) {
    super(remoteType + ": " + remoteValue);
    this.remoteType = remoteType;
    this.remoteValue = remoteValue;
    this.remoteTraceback = remoteTraceback;
    this.parents = List.copyOf(parents);
    this.body = body;
  }

  /** Returns the qualified name of the remote exception type. */
  public String remoteType() {
    return remoteType;
  }

  /** Returns the remote exception's text. */
  public String remoteValue() {
    return remoteValue;
  }

  /** Returns the traceback text the peer sent. */
  public String remoteTraceback() {
    return remoteTraceback;
  }

  /** Returns the qualified names of the remote type and its parents, most derived first. */
  public List<String> parents() {
    return parents;
  }

  /**
   * Returns the error body as received: the failure's state dict, or any other value a peer sent
   * as an error.
   */
  public @Nullable Object body() {
    return body;
  }

  /** Returns true if the remote type or one of its parents is one of {@code typeNames}: Twisted's {@code Failure.check}. */
  public boolean check(String... typeNames) {
    for (String name : typeNames) {
      if (remoteType.equals(name) || parents.contains(name)) {
        return true;
      }
    }
    return false;
  }

  /** Returns the failure state dict, if the body was one. */
  @SuppressWarnings("unchecked")
  public @Nullable Map<Object, Object> state() {
    return body instanceof Map<?, ?> m ? (Map<Object, Object>) m : null;
  }
}
