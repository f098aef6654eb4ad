package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The hook through which a higher layer (the Broker) jellies and unjellies its own flavours:
 * {@code remote}, {@code local}, {@code cached}, {@code lcache}, cacheable types and
 * per-connection copyables, which need connection state Jelly does not have.
 *
 * <p>Called on the connection's thread during one {@link Jellier#jelly} or {@link
 * Unjellier#unjelly} call.
 */
public interface JellyExtension {
  /** Returned by {@link #unjelly} for an expression the extension does not handle. */
  Object NOT_HANDLED = new Object() {
    @Override
    public String toString() {
      return "NOT_HANDLED";
    }
  };

  /**
   * Writes {@code value} if it is an object this extension sends (using the {@code write*}
   * methods of {@code jellier}) and returns true; returns false to let Jelly continue (copyable
   * registry, then refusal).
   */
  boolean jelly(Object value, Jellier jellier);

  /**
   * Returns the value for an expression {@code [tag, ...]} whose tag is not one of Jelly's data
   * tags, or {@link #NOT_HANDLED}. Children are unjellied with {@link Unjellier#unjellyChild}.
   *
   * @throws JellyException if the expression is recognised but invalid
   */
  @Nullable Object unjelly(ByteString tag, List<?> expression, Unjellier unjellier);
}
