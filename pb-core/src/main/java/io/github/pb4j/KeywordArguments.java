package io.github.pb4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code Map<String, Object>} parameter of a {@link Remote} method that receives every
 * keyword argument no other parameter takes: Python's {@code **kwargs}. (Python's {@code *args} is
 * a Java varargs parameter.)
 *
 * <pre>{@code
 * @Remote
 * public List<Object> echo(@KeywordArguments Map<String, Object> kw, Object... args)
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface KeywordArguments {}
