package io.github.pb4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method a peer may call: the Java form of Twisted's {@code remote_}, {@code
 * perspective_}, {@code view_} and {@code observe_} prefixes.
 *
 * <p>The wire name is the method name unless {@link #value()} gives another. Arguments are checked
 * against the parameter types before the method runs (see {@link
 * io.github.pb4j.jelly.internal.TypeCoercion}); keyword arguments bind by parameter name ({@link Param} or
 * the {@code -parameters} compiler flag). A method may return a value, a {@link
 * java.util.concurrent.CompletionStage}, or throw; {@link PbApplicationException} is the expected
 * error.
 *
 * <pre>{@code
 * public final class EchoRoot implements Root {
 *   @Remote
 *   public String echo(String message) {
 *     return message;
 *   }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Remote {
  /** The name on the wire; empty means the Java method name. */
  String value() default "";
}
