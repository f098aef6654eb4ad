package io.github.pb4j;

import io.github.pb4j.jelly.PythonLiteral;
import io.github.pb4j.jelly.PythonRepr;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.jelly.internal.TypeCoercion;
import io.github.pb4j.jelly.TypeMismatchException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One {@link Remote} method, resolved once per class: its invoker, parameter names, types and
 * defaults. Binding and type-checking a call's arguments happen here, before the method runs.
 *
 * <p><em>Immutable.</em>
 */
final class RemoteMethod {
  private static final Object NO_DEFAULT = new Object();

  private final String wireName;
  private final String javaName;
  private final MethodHandle invoker; // (Object target, Object[] args) -> Object
  private final boolean injectsPerspective;
  /** Parameters after the perspective, in declaration order. */
  private final String[] names;
  private final Type[] types;
  private final @Nullable Object[] defaults;
  /** {@code argument 'name'} per parameter, for error messages (made once, not per call). */
  private final String[] descriptions;
  /** True if a call with exactly one value per parameter, all positional, needs no binding. */
  private final boolean plainPositional;
  /** Indexes (into names) of the parameters positional arguments fill, in order. */
  private final int[] positional;
  private final int varargsIndex;
  private final @Nullable Type varargsElement;
  private final int keywordsIndex;
  private final boolean returnsVoid;
  /**
   * True if a parameter has neither its source name in the class file (javac {@code -parameters})
   * nor a {@link Param} name: keyword arguments cannot reach it.
   */
  private final boolean namesMissing;

  RemoteMethod(String wireName, Method method, boolean injectsPerspective) {
    this.wireName = wireName;
    this.javaName = method.getDeclaringClass().getSimpleName() + "." + method.getName();
    this.injectsPerspective = injectsPerspective;
    Parameter[] parameters = method.getParameters();
    int first = injectsPerspective ? 1 : 0;
    if (injectsPerspective && parameters.length == 0) {
      throw new IllegalArgumentException(
          javaName + ": a Viewable's remote method takes the perspective as its first parameter");
    }
    int n = parameters.length - first;
    names = new String[n];
    types = new Type[n];
    defaults = new Object[n];
    int varargs = -1;
    int keywords = -1;
    java.util.List<Integer> plain = new java.util.ArrayList<>();
    boolean missing = false;
    for (int i = 0; i < n; i++) {
      Parameter p = parameters[i + first];
      Param param = p.getAnnotation(Param.class);
      boolean named = param != null && !param.value().isEmpty();
      names[i] = named ? param.value() : p.getName();
      // *args and **kwargs are never named by a caller: only the others need names.
      missing |= !named && !p.isNamePresent() && !p.isVarArgs() && !p.isAnnotationPresent(KeywordArguments.class);
      types[i] = p.getParameterizedType();
      defaults[i] = NO_DEFAULT;
      if (p.isAnnotationPresent(KeywordArguments.class)) {
        if (!Map.class.isAssignableFrom(p.getType())) {
          throw new IllegalArgumentException(javaName + ": @KeywordArguments parameter must be a Map");
        }
        keywords = i;
        continue;
      }
      if (p.isVarArgs()) {
        varargs = i;
        continue;
      }
      plain.add(i);
      if (param != null && !Param.REQUIRED.equals(param.defaultValue())) {
        Object parsed = PythonLiteral.parse(param.defaultValue());
        try {
          defaults[i] = TypeCoercion.coerce(parsed, types[i], "default of " + names[i]);
        } catch (TypeMismatchException e) {
          throw new IllegalArgumentException(javaName + ": " + e.getMessage(), e);
        }
      }
    }
    this.positional = plain.stream().mapToInt(Integer::intValue).toArray();
    this.descriptions = new String[n];
    for (int i = 0; i < n; i++) {
      descriptions[i] = "argument '" + names[i] + "'";
    }
    this.plainPositional = positional.length == n;
    this.varargsIndex = varargs;
    this.keywordsIndex = keywords;
    Type element = null;
    if (varargs >= 0) {
      Type t = types[varargs];
      element = t instanceof java.lang.reflect.GenericArrayType g ? g.getGenericComponentType()
          : ((Class<?>) t).getComponentType();
    }
    this.varargsElement = element;
    this.returnsVoid = method.getReturnType() == void.class;
    this.namesMissing = missing;
    try {
      method.setAccessible(true);
      MethodHandle handle = MethodHandles.lookup().unreflect(method);
      if (method.isVarArgs()) {
        handle = handle.asFixedArity();
      }
      this.invoker = handle
          .asSpreader(Object[].class, parameters.length)
          .asType(MethodType.methodType(Object.class, Object.class, Object[].class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException(javaName + ": cannot be made callable: " + e, e);
    }
  }

  String wireName() {
    return wireName;
  }

  /**
   * Binds positional and keyword arguments to parameters, checks their types and returns the
   * argument array (with the perspective first when the method takes one).
   *
   * @throws TypeMismatchException as Python's {@code TypeError} would be raised
   */
  Object[] bind(List<?> args, Map<String, ?> kwargs, @Nullable Object perspective) {
    int offset = injectsPerspective ? 1 : 0;
    if (plainPositional && kwargs.isEmpty() && args.size() == names.length) {
      // The common call: every parameter given by position.
      Object[] bound = new Object[names.length + offset];
      for (int i = 0; i < names.length; i++) {
        bound[i + offset] = TypeCoercion.coerce(args.get(i), types[i], descriptions[i]);
      }
      if (injectsPerspective) {
        bound[0] = perspective;
      }
      return bound;
    }
    Object[] bound = new Object[names.length + offset];
    boolean[] set = new boolean[names.length];
    int fixed = Math.min(args.size(), positional.length);
    for (int i = 0; i < fixed; i++) {
      bound[positional[i] + offset] = args.get(i);
      set[positional[i]] = true;
    }
    if (args.size() > positional.length) {
      if (varargsIndex < 0) {
        int n = positional.length;
        int required = 0;
        for (int i : positional) {
          required += defaults[i] == NO_DEFAULT ? 1 : 0;
        }
        // Python's wording: "takes from 1 to 2 positional arguments" when some have defaults.
        String takes = required == n ? String.valueOf(n) : "from " + required + " to " + n;
        throw new TypeMismatchException(String.format("%s() takes %s positional argument%s but %d %s given",
            wireName, takes, n == 1 ? "" : "s", args.size(), args.size() == 1 ? "was" : "were"));
      }
    }
    Map<String, Object> extraKeywords = keywordsIndex >= 0 ? new java.util.LinkedHashMap<>() : null;
    for (Map.Entry<String, ?> e : kwargs.entrySet()) {
      int index = indexOf(e.getKey());
      if (index < 0) {
        if (extraKeywords == null) {
          throw new TypeMismatchException(
              wireName + "() got an unexpected keyword argument '" + peerName(e.getKey()) + "'" + namesHint());
        }
        extraKeywords.put(e.getKey(), e.getValue());
        continue;
      }
      if (set[index]) {
        throw new TypeMismatchException(
            wireName + "() got multiple values for argument '" + peerName(e.getKey()) + "'");
      }
      bound[index + offset] = e.getValue();
      set[index] = true;
    }
    for (int i : positional) {
      if (!set[i]) {
        if (defaults[i] == NO_DEFAULT) {
          throw new TypeMismatchException(
              wireName + "() missing required argument: '" + names[i] + "'" + (kwargs.isEmpty() ? "" : namesHint()));
        }
        bound[i + offset] = defaults[i];
      } else {
        bound[i + offset] = TypeCoercion.coerce(bound[i + offset], types[i], descriptions[i]);
      }
    }
    if (varargsIndex >= 0) {
      int extra = Math.max(0, args.size() - positional.length);
      Class<?> component = rawClass(varargsElement);
      Object array = java.lang.reflect.Array.newInstance(component, extra);
      for (int i = 0; i < extra; i++) {
        Object v = TypeCoercion.coerce(args.get(positional.length + i), varargsElement,
            "argument " + (positional.length + i + 1));
        java.lang.reflect.Array.set(array, i, v);
      }
      bound[varargsIndex + offset] = array;
    }
    if (keywordsIndex >= 0) {
      bound[keywordsIndex + offset] = extraKeywords;
    }
    if (injectsPerspective) {
      bound[0] = perspective;
    }
    return bound;
  }

  /** True if keyword arguments cannot reach some parameter: its name is not known at run time. */
  boolean parameterNamesMissing() {
    return namesMissing;
  }

  /** What to do when keyword arguments miss because the parameter names are not known; or "". */
  private String namesHint() {
    return namesMissing ? " (" + javaName + " has no parameter names at run time, only arg0, arg1, ...: "
        + NAMES_ADVICE + ")" : "";
  }

  /** The two ways to give remote methods their parameter names. */
  static final String NAMES_ADVICE =
      "compile with javac -parameters, or name each parameter with @Param(\"name\")";

  /** A keyword name the peer sent, cut for an error message (it may be as long as a message). */
  private static String peerName(String name) {
    return PythonRepr.abbreviate(name, PythonRepr.BRIEF_MAX_CHARS);
  }

  private static Class<?> rawClass(@Nullable Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof java.lang.reflect.ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  private int indexOf(String name) {
    for (int i = 0; i < names.length; i++) {
      if (i != varargsIndex && i != keywordsIndex && names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Calls the method; exceptions thrown by it propagate unchanged. */
  @Nullable Object invoke(Object target, Object[] args) throws Throwable {
    Object result = (Object) invoker.invokeExact(target, args);
    return returnsVoid ? null : result;
  }

  @Override
  public String toString() {
    return javaName;
  }

  /** Returns the argument list of a call: a tuple or (as Twisted accepts) a list. */
  static List<?> argumentList(@Nullable Object args) {
    if (args instanceof Tuple t) {
      return t.asList();
    }
    if (args instanceof List<?> l) {
      return l;
    }
    throw new TypeMismatchException(
        "arguments: " + TypeCoercion.pythonTypeName(args) + " (expected: tuple)");
  }
}
