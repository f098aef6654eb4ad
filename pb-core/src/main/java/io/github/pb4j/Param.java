package io.github.pb4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a {@link Remote} method's parameter for keyword arguments and may give it a default, so
 * that a Python caller's {@code callRemote("joinGroup", "#twisted", allowMattress=False)} binds as
 * it does in Python.
 *
 * <pre>{@code
 * @Remote
 * public Group joinGroup(String groupName, @Param(value = "allowMattress", defaultValue = "True") boolean allowMattress)
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Param {
  /** Marks "no default": the argument is required. */
  String REQUIRED = "\u0000required";

  /** The keyword name; empty means the compiled parameter name. */
  String value() default "";

  /**
   * The default as a Python literal ({@code None}, {@code True}, {@code 3}, {@code 'text'}, {@code
   * b'bytes'}, {@code []}, ...), used when the caller passes nothing for this parameter.
   */
  String defaultValue() default REQUIRED;
}
