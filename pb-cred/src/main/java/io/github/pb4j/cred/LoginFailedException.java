package io.github.pb4j.cred;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A login failed. Java form of Twisted's {@code twisted.cred.error.LoginFailed}; the base of the
 * other login failures.
 *
 * <p>{@link #twistedType()} and {@link #twistedParents()} give what a Twisted peer expects in a
 * failure's {@code type} and {@code parents} (see {@code twisted.spread.pb.CopiedFailure}), so that
 * {@code failure.trap(LoginFailed)} works on the other side. The message may travel to the peer as
 * the failure's value: never put secrets in it, nor whether a user exists. Unchecked: failures
 * travel through futures.
 *
 * <p><em>Immutable.</em>
 */
public class LoginFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private static final List<String> PARENTS =
      List.of(
          "twisted.cred.error.LoginFailed",
          "builtins.Exception",
          "builtins.BaseException",
          "builtins.object");

  private final List<String> twistedParents;
  private final String twistedValue;

  /** Creates a failure with an empty message, as Twisted's {@code LoginFailed()}. */
  public LoginFailedException() {
    this("");
  }

  public LoginFailedException(String message) {
    this(message, null, PARENTS);
  }

  public LoginFailedException(String message, @Nullable Throwable cause) {
    this(message, cause, PARENTS);
  }

  /**
   * Creates a failure that mirrors a subclass of Twisted's {@code LoginFailed}.
   *
   * @param twistedParents the Twisted class's method resolution order, as {@link #twistedParents()}
   *     returns it
   */
  protected LoginFailedException(
      String message, @Nullable Throwable cause, List<String> twistedParents) {
    this(message, cause, twistedParents, message);
  }

  /**
   * Creates a failure whose message (for the program and its log) differs from the value a Twisted
   * peer sees: Twisted's checkers raise their failures with no text at all.
   *
   * @param twistedValue the failure's value on the wire, as {@link #twistedValue()} returns it
   */
  protected LoginFailedException(
      String message, @Nullable Throwable cause, List<String> twistedParents, String twistedValue) {
    super(message);
    if (cause != null) {
      initCause(cause);
    }
    this.twistedParents = List.copyOf(twistedParents);
    this.twistedValue = twistedValue;
  }

  /**
   * Returns the failure's value as a Twisted peer sends or receives it ({@code str(exception)}):
   * often empty, as Twisted's checkers raise {@code UnauthorizedLogin()}.
   */
  public String twistedValue() {
    return twistedValue;
  }

  /** Returns the qualified name of the Twisted exception class this one mirrors. */
  public String twistedType() {
    return twistedParents.get(0);
  }

  /**
   * Returns the qualified names of the Twisted class's method resolution order, as Twisted sends
   * them in a failure's {@code parents}: the class itself first, {@code builtins.object} last.
   */
  public List<String> twistedParents() {
    return twistedParents;
  }
}
