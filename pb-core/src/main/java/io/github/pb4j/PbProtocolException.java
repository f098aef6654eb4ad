package io.github.pb4j;

import io.github.pb4j.banana.PbException;
import org.jspecify.annotations.Nullable;

/**
 * The peer broke the PB protocol, or a call cannot be made for protocol reasons. Java form of
 * Twisted's {@code pb.ProtocolError}.
 */
public class PbProtocolException extends PbException {
  private static final long serialVersionUID = 1L;

  public PbProtocolException(String message) {
    super(message);
  }

  public PbProtocolException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
