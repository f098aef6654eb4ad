package io.github.pb4j;

/**
 * A call through a {@link RemoteReference} whose connection is gone, or that was released. Java
 * form of Twisted's {@code pb.DeadReferenceError}.
 */
public final class DeadReferenceException extends PbProtocolException {
  private static final long serialVersionUID = 1L;

  private final Object luid;

  public DeadReferenceException(Object luid, String message) {
    super(message);
    this.luid = luid;
  }

  /** Returns the luid of the dead reference: an {@link Integer}, or {@code "root"}. */
  public Object luid() {
    return luid;
  }
}
