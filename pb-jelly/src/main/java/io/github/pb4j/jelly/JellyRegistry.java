package io.github.pb4j.jelly;

import io.github.pb4j.jelly.internal.TypeCoercion;
import io.github.pb4j.banana.ByteString;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The allow-list of pass-by-copy types: the only way a wire type name ever becomes a Java object.
 * Java form of Twisted's {@code setUnjellyableForClass} and {@code SecurityOptions}, but explicit
 * and per registry instead of process-global: a name nobody registered is refused with {@link
 * InsecureJellyException}; no class is ever looked up by a name read from the wire.
 *
 * <pre>{@code
 * JellyRegistry registry = JellyRegistry.builder()
 *     .registerRecord("mymodule.Point", Point.class)   // record Point(int x, int y)
 *     .build();
 * }</pre>
 *
 * <p>A record is sent as {@code [b'mymodule.Point', {'x': 1, 'y': 2}]}, the shape a Twisted {@code
 * pb.Copyable}'s attribute dict has, and rebuilt through its canonical constructor, each state
 * entry converted to its component's type by {@link TypeCoercion}.
 *
 * <p><em>Immutable.</em>
 */
public final class JellyRegistry {
  /** A registry with no types. */
  public static final JellyRegistry EMPTY = new Builder().build();

  private final Map<ByteString, CopyType<?>> byName;
  private final Map<Class<?>, CopyType<?>> byClass;
  private final ClassValue<@Nullable CopyType<?>> lookup;

  private JellyRegistry(Builder b) {
    this.byName = Map.copyOf(b.byName);
    this.byClass = Map.copyOf(b.byClass);
    this.lookup = new ClassValue<>() {
      @Override
      protected @Nullable CopyType<?> computeValue(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
          CopyType<?> t = byClass.get(c);
          if (t != null) {
            return t;
          }
        }
        return null;
      }
    };
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this registry's types, to derive another. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.byName.putAll(byName);
    b.byClass.putAll(byClass);
    return b;
  }

  /** Returns the type registered for a wire name, or {@code null}. */
  public @Nullable CopyType<?> forWireName(ByteString wireName) {
    return byName.get(wireName);
  }

  /** Returns the type registered for {@code type} or its nearest registered superclass, or {@code null}. */
  public @Nullable CopyType<?> forClass(Class<?> type) {
    return lookup.get(type);
  }

  /** Returns every registered type. */
  public Iterable<CopyType<?>> types() {
    return byName.values();
  }

  /** Builds a {@link JellyRegistry}. <em>Not thread-safe.</em> */
  public static final class Builder {
    private final Map<ByteString, CopyType<?>> byName = new LinkedHashMap<>();
    private final Map<Class<?>, CopyType<?>> byClass = new HashMap<>();

    private Builder() {}

    /**
     * Registers a record under a wire name, both ways: its state is a dict of component names to
     * values.
     */
    public <T extends Record> Builder registerRecord(String wireName, Class<T> type) {
      RecordCodec<T> codec = new RecordCodec<>(type);
      return add(new CopyType<>(wireName, type, codec::stateOf, codec::fromState));
    }

    /**
     * Registers a type both ways with explicit conversions between an instance and its state.
     */
    public <T> Builder register(
        String wireName,
        Class<T> type,
        Function<? super T, ?> stateOf,
        Function<@Nullable Object, ? extends T> fromState) {
      Objects.requireNonNull(stateOf, "stateOf");
      Objects.requireNonNull(fromState, "fromState");
      return add(new CopyType<>(wireName, type, stateOf, fromState));
    }

    /** Registers a type that is only ever received: Twisted's {@code setUnjellyableFactoryForClass}. */
    public <T> Builder registerReceiver(
        String wireName, Class<T> type, Function<@Nullable Object, ? extends T> fromState) {
      return add(new CopyType<>(wireName, type, null, Objects.requireNonNull(fromState, "fromState")));
    }

    /** Registers a type that is only ever sent. */
    public <T> Builder registerSender(String wireName, Class<T> type, Function<? super T, ?> stateOf) {
      return add(new CopyType<>(wireName, type, Objects.requireNonNull(stateOf, "stateOf"), null));
    }

    private Builder add(CopyType<?> type) {
      if (JellyTag.fromWire(type.wireName()) != null) {
        throw new IllegalArgumentException("wire name is a Jelly tag: " + type.wireName().toStringUtf8());
      }
      if (byName.containsKey(type.wireName())) {
        throw new IllegalArgumentException("wire name already registered: " + type.wireName().toStringUtf8());
      }
      byName.put(type.wireName(), type);
      if (type.canSend()) {
        CopyType<?> previous = byClass.putIfAbsent(type.javaType(), type);
        if (previous != null) {
          throw new IllegalArgumentException(
              type.javaType().getName() + " is already sent as " + previous.wireName().toStringUtf8());
        }
      }
      return this;
    }

    public JellyRegistry build() {
      return new JellyRegistry(this);
    }
  }

  /** State conversion of one record class, with method handles resolved once. */
  private static final class RecordCodec<T extends Record> {
    private final String[] names;
    private final Type[] types;
    private final MethodHandle[] accessors;
    private final MethodHandle constructor;

    RecordCodec(Class<T> type) {
      RecordComponent[] components = type.getRecordComponents();
      names = new String[components.length];
      types = new Type[components.length];
      accessors = new MethodHandle[components.length];
      Class<?>[] raw = new Class<?>[components.length];
      try {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        for (int i = 0; i < components.length; i++) {
          names[i] = components[i].getName();
          types[i] = components[i].getGenericType();
          raw[i] = components[i].getType();
          accessors[i] = lookup.unreflect(components[i].getAccessor())
              .asType(MethodType.methodType(Object.class, Object.class));
        }
        constructor = lookup.findConstructor(type, MethodType.methodType(void.class, raw))
            .asSpreader(Object[].class, raw.length)
            .asType(MethodType.methodType(Object.class, Object[].class));
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException(
            "record " + type.getName() + " must be public with a public canonical constructor", e);
      }
    }

    Map<String, @Nullable Object> stateOf(T value) {
      Map<String, @Nullable Object> state = new LinkedHashMap<>();
      try {
        for (int i = 0; i < names.length; i++) {
          state.put(names[i], (Object) accessors[i].invokeExact((Object) value));
        }
      } catch (Throwable e) {
        throw rethrow(e);
      }
      return state;
    }

    T fromState(@Nullable Object state) {
      if (!(state instanceof Map<?, ?> map)) {
        throw new JellyException("state: " + PythonRepr.brief(state) + " (expected: a dict)");
      }
      Map<String, @Nullable Object> byName = new HashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        // Only text names a component; other keys are ignored, as unknown names are (rendering
        // them could be costly: a tuple key may share its parts).
        Object key = e.getKey();
        if (key instanceof String name) {
          byName.put(name, e.getValue());
        } else if (key instanceof ByteString b) {
          byName.put(b.toStringUtf8(), e.getValue());
        }
      }
      Object[] args = new Object[names.length];
      for (int i = 0; i < names.length; i++) {
        args[i] = TypeCoercion.coerce(byName.get(names[i]), types[i], names[i]);
      }
      try {
        @SuppressWarnings("unchecked")
        T result = (T) (Object) constructor.invokeExact(args);
        return result;
      } catch (Throwable e) {
        throw rethrow(e);
      }
    }

    private static RuntimeException rethrow(Throwable e) {
      if (e instanceof RuntimeException r) {
        return r;
      }
      if (e instanceof Error err) {
        throw err;
      }
      return new JellyException(e.toString(), e);
    }
  }
}
