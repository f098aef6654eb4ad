package io.github.pb4j.interop;

import io.github.pb4j.RemoteFailureException;
import io.github.pb4j.cred.LoginFailedException;

/** Canonical result texts, written the same way by the Java and the Python scenario clients. */
public final class Results {
  private Results() {}

  /**
   * Returns {@code "<qualified remote type>: <value>"} for a failure, as {@code
   * interop_common.failure_text} renders a Twisted failure.
   */
  public static String failureText(Throwable t) {
    if (t instanceof RemoteFailureException f) {
      return f.remoteType() + ": " + f.remoteValue();
    }
    if (t instanceof LoginFailedException e && e.getCause() instanceof RemoteFailureException f) {
      return f.remoteType() + ": " + f.remoteValue();
    }
    if (t instanceof LoginFailedException e) {
      return e.twistedType() + ": " + (e.getMessage() == null ? "" : e.getMessage());
    }
    return t.getClass().getName() + ": " + t.getMessage();
  }
}
