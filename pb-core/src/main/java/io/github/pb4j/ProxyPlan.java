package io.github.pb4j;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * What each method of a {@link RemoteProxy} interface sends and how its result is converted,
 * worked out once per interface so that a call does no reflection beyond the proxy's own dispatch.
 *
 * <p><em>Immutable</em> once built; plans are cached per interface.
 */
final class ProxyPlan {
  private static final ClassValue<ProxyPlan> PLANS =
      new ClassValue<>() {
        @Override
        protected ProxyPlan computeValue(Class<?> type) {
          return new ProxyPlan(type);
        }
      };

  /** How a result becomes the declared {@code T}. */
  enum ResultKind {
    /** {@code Void}: the result is dropped. */
    DISCARD,
    /** An interface of stubs: a received reference becomes a stub of it. */
    STUB,
    /** Converted with the argument-checking rules. */
    COERCE
  }

  /**
   * One remote method.
   *
   * @param keywords per parameter, its keyword name, or null for a positional argument
   * @param omitWhenNull per parameter, whether a null leaves the keyword out (it has a default)
   */
  static final class Call {
    final String wireName;
    /** Per parameter, its keyword name, or null for a positional argument. */
    final @Nullable String[] keywords;
    /** Per parameter, whether a null leaves the keyword out (the peer has a default). */
    final boolean[] omitWhenNull;
    final boolean spreadsLast;
    final boolean hasKeywords;
    final ResultKind resultKind;
    final Type resultType;
    final String resultLabel;

    Call(
        String wireName,
        @Nullable String[] keywords,
        boolean[] omitWhenNull,
        boolean spreadsLast,
        boolean hasKeywords,
        ResultKind resultKind,
        Type resultType,
        String resultLabel) {
      this.wireName = wireName;
      this.keywords = keywords;
      this.omitWhenNull = omitWhenNull;
      this.spreadsLast = spreadsLast;
      this.hasKeywords = hasKeywords;
      this.resultKind = resultKind;
      this.resultType = resultType;
      this.resultLabel = resultLabel;
    }
  }

  private final Class<?> type;
  private final Map<Method, Call> calls = new HashMap<>();

  private ProxyPlan(Class<?> type) {
    if (!type.isInterface()) {
      throw new IllegalArgumentException(type.getName() + " is not an interface");
    }
    if (!Modifier.isPublic(type.getModifiers())) {
      throw new IllegalArgumentException(type.getName() + " must be public to be a remote proxy");
    }
    this.type = type;
    for (Method method : type.getMethods()) {
      if (method.isDefault() || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      calls.put(method, plan(type, method));
    }
  }

  static ProxyPlan of(Class<?> type) {
    return PLANS.get(type);
  }

  Class<?> type() {
    return type;
  }

  @Nullable Call call(Method method) {
    return calls.get(method);
  }

  private static Call plan(Class<?> type, Method method) {
    String where = type.getSimpleName() + "." + method.getName();
    Class<?> raw = method.getReturnType();
    if (raw != CompletableFuture.class && raw != CompletionStage.class) {
      throw new IllegalArgumentException(
          where
              + " returns "
              + method.getGenericReturnType().getTypeName()
              + ": a remote proxy's methods must return CompletableFuture<T> or CompletionStage<T>");
    }
    Remote remote = method.getAnnotation(Remote.class);
    String wireName = remote != null && !remote.value().isEmpty() ? remote.value() : method.getName();
    Parameter[] parameters = method.getParameters();
    String[] keywords = new String[parameters.length];
    boolean[] omit = new boolean[parameters.length];
    boolean hasKeywords = false;
    for (int i = 0; i < parameters.length; i++) {
      Param param = parameters[i].getAnnotation(Param.class);
      if (param == null) {
        continue;
      }
      if (param.value().isEmpty()) {
        throw new IllegalArgumentException(
            where + " parameter " + i + ": @Param on a proxy method needs the keyword's name");
      }
      if (method.isVarArgs() && i == parameters.length - 1) {
        throw new IllegalArgumentException(where + ": a varargs parameter cannot be a keyword");
      }
      keywords[i] = param.value();
      omit[i] = !Param.REQUIRED.equals(param.defaultValue());
      hasKeywords = true;
    }
    Type result = resultType(method.getGenericReturnType());
    Class<?> resultRaw = rawClass(result);
    ResultKind kind;
    if (resultRaw == Void.class) {
      kind = ResultKind.DISCARD;
    } else if (resultRaw.isInterface()
        && !resultRaw.isAssignableFrom(RemoteReference.class)
        && !resultRaw.getName().startsWith("java.")) {
      kind = ResultKind.STUB;
    } else {
      kind = ResultKind.COERCE;
    }
    return new Call(
        wireName,
        keywords,
        omit,
        method.isVarArgs(),
        hasKeywords,
        kind,
        result,
        "result of " + where);
  }

  private static Type resultType(Type futureType) {
    if (futureType instanceof ParameterizedType p) {
      return bound(p.getActualTypeArguments()[0]);
    }
    return Object.class;
  }

  private static Type bound(Type t) {
    if (t instanceof WildcardType w) {
      return bound(w.getUpperBounds()[0]);
    }
    if (t instanceof TypeVariable<?> v) {
      return bound(v.getBounds()[0]);
    }
    return t;
  }

  static Class<?> rawClass(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }
}
