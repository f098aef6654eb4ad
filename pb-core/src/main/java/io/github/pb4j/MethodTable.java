package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Remote} methods of one class, keyed by wire name; computed once per class, so a call
 * costs a map lookup and no reflection.
 *
 * <p><em>Immutable.</em>
 */
final class MethodTable {
  private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(MethodTable.class);
  private static final ClassValue<MethodTable> TABLES = new ClassValue<>() {
    @Override
    protected MethodTable computeValue(Class<?> type) {
      return new MethodTable(type);
    }
  };

  private final String className;
  private final Map<ByteString, RemoteMethod> methods;
  /** What the class is, decided once: interface checks that fail are slow on the hot path. */
  private final boolean avatar;
  private final boolean remoteCache;

  private MethodTable(Class<?> type) {
    this.className = type.getSimpleName();
    this.avatar = Avatar.class.isAssignableFrom(type);
    this.remoteCache = RemoteCache.class.isAssignableFrom(type);
    boolean viewable = Viewable.class.isAssignableFrom(type);
    Map<ByteString, RemoteMethod> found = new HashMap<>();
    Map<String, Method> javaMethods = new HashMap<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        collect(m, viewable, found, javaMethods);
      }
    }
    for (Class<?> i : allInterfaces(type)) {
      for (Method m : i.getDeclaredMethods()) {
        collect(m, viewable, found, javaMethods);
      }
    }
    this.methods = Map.copyOf(found);
    warnIfNamesMissing(type, found.values());
  }

  /**
   * Says once per class (tables are made once per class) that keyword arguments cannot reach
   * parameters whose names the class file lacks: a class compiled without {@code -parameters}, as
   * the single-file launcher and many builds do.
   */
  private static void warnIfNamesMissing(Class<?> type, java.util.Collection<RemoteMethod> methods) {
    java.util.List<String> unnamed = methods.stream().filter(RemoteMethod::parameterNamesMissing)
        .map(RemoteMethod::wireName).sorted().toList();
    if (!unnamed.isEmpty()) {
      logger.warn("{}: the parameters of remote methods {} have no names at run time (arg0, arg1, ...), so calls "
          + "with keyword arguments cannot reach them; {}", type.getName(), unnamed, RemoteMethod.NAMES_ADVICE);
    }
  }

  private static java.util.Set<Class<?>> allInterfaces(Class<?> type) {
    java.util.Set<Class<?>> result = new java.util.LinkedHashSet<>();
    java.util.ArrayDeque<Class<?>> todo = new java.util.ArrayDeque<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      todo.addAll(java.util.List.of(c.getInterfaces()));
    }
    while (!todo.isEmpty()) {
      Class<?> i = todo.poll();
      if (result.add(i)) {
        todo.addAll(java.util.List.of(i.getInterfaces()));
      }
    }
    return result;
  }

  private void collect(Method m, boolean viewable, Map<ByteString, RemoteMethod> found, Map<String, Method> javaMethods) {
    Remote remote = m.getAnnotation(Remote.class);
    if (remote == null || m.isBridge() || m.isSynthetic()) {
      return;
    }
    if (Modifier.isStatic(m.getModifiers())) {
      throw new IllegalArgumentException("@Remote method " + describe(m) + " must not be static");
    }
    String name = remote.value().isEmpty() ? m.getName() : remote.value();
    Method previous = javaMethods.get(name);
    if (previous != null) {
      if (overrides(m, previous)) {
        return; // A superclass declaration of a method already found in a subclass.
      }
      throw new IllegalArgumentException(
          "remote method name '" + name + "' is overloaded in " + className + ": " + describe(previous)
              + " and " + describe(m) + " (expected: one method per remote name)");
    }
    javaMethods.put(name, m);
    found.put(ByteString.utf8(name), new RemoteMethod(name, m, viewable));
  }

  private static boolean overrides(Method sub, Method sup) {
    return sub.getName().equals(sup.getName())
        && java.util.Arrays.equals(sub.getParameterTypes(), sup.getParameterTypes());
  }

  private static String describe(Method m) {
    return m.getDeclaringClass().getSimpleName() + "." + m.getName() + "("
        + java.util.Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
            .collect(java.util.stream.Collectors.joining(", ")) + ")";
  }

  /**
   * Returns the table of {@code type}.
   *
   * @throws IllegalArgumentException if the class's remote methods are invalid (overloaded names,
   *     static methods, bad defaults)
   */
  static MethodTable of(Class<?> type) {
    return TABLES.get(type);
  }

  /** Returns the method with this wire name, or {@code null}. */
  @Nullable RemoteMethod get(ByteString wireName) {
    return methods.get(wireName);
  }

  /** True if the class is an {@link Avatar}. */
  boolean isAvatar() {
    return avatar;
  }

  /** True if the class is a {@link RemoteCache}. */
  boolean isRemoteCache() {
    return remoteCache;
  }

  String className() {
    return className;
  }

  boolean isEmpty() {
    return methods.isEmpty();
  }
}
