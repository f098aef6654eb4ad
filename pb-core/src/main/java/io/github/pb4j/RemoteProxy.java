package io.github.pb4j;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Typed stubs over a {@link RemoteReference}: declare what a peer's object offers as a Java
 * interface whose methods return {@link java.util.concurrent.CompletableFuture CompletableFuture&lt;T&gt;}
 * (or {@link java.util.concurrent.CompletionStage}), and call it like a local object. What RMI and
 * gRPC stubs are to their protocols; PB itself has no interface definitions, so the interface is
 * the program's statement of what it expects.
 *
 * <pre>{@code
 * interface Perspective {
 *   CompletableFuture<Group> joinGroup(String name);
 * }
 * interface Group {
 *   CompletableFuture<Void> send(String text);
 * }
 *
 * Perspective me = RemoteProxy.create(Perspective.class, perspectiveReference);
 * me.joinGroup("#NeedAFourth").thenCompose(group -> group.send("hello"));
 * }</pre>
 *
 * <p>Rules, checked once per interface when the first stub is made:
 *
 * <ul>
 *   <li>The wire name is the Java method name, or {@link Remote#value()} when the method is
 *       annotated {@code @Remote("wire_name")}.
 *   <li>Parameters are positional arguments, in order; a parameter annotated {@link Param} is a
 *       keyword argument of that name. A keyword parameter that declares a {@link
 *       Param#defaultValue() default} is left out of the call when the program passes {@code
 *       null}, so that the peer's own default applies. A varargs parameter is spread into
 *       positional arguments.
 *   <li>A stub passed as an argument travels as its reference (the peer receives its own object).
 *   <li>The result is converted to {@code T} with the rules that check remote methods' arguments
 *       ({@code int}, {@code long}, {@code List<String>}, records registered as copyable, ...); a
 *       result that does not fit fails the future with {@link
 *       io.github.pb4j.jelly.TypeMismatchException} naming the method. {@code Void} discards the
 *       result. An interface type {@code T} receiving a reference makes a stub of {@code T} over
 *       it.
 *   <li>Default methods run locally (they may call the interface's remote methods), and so do
 *       {@code equals}, {@code hashCode} and {@code toString}: two stubs are equal when they
 *       have the same interface and the same reference.
 * </ul>
 *
 * <p>Failures arrive as with {@link RemoteReference#callRemote}: {@link RemoteFailureException},
 * {@link DeadReferenceException}, {@link ConnectionLostException}. A method that returns anything
 * else than a future, or an interface that is not public, is refused by {@link #create} with an
 * {@link IllegalArgumentException} that names it.
 *
 * <p><em>Thread-safe:</em> stubs may be used from any thread, as the reference they wrap.
 */
public final class RemoteProxy {
  private RemoteProxy() {}

  /**
   * Returns a stub of {@code type} whose methods call {@code reference}.
   *
   * @throws IllegalArgumentException if {@code type} is not an interface or one of its methods
   *     does not follow the rules above
   */
  public static <T> T create(Class<T> type, RemoteReference reference) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(reference, "reference");
    ProxyPlan plan = ProxyPlan.of(type);
    Object stub =
        Proxy.newProxyInstance(
            type.getClassLoader(), new Class<?>[] {type}, new ProxyHandler(plan, reference));
    return type.cast(stub);
  }

  /** Returns the reference a stub calls, or empty if {@code object} is not a stub. */
  public static Optional<RemoteReference> referenceOf(Object object) {
    Objects.requireNonNull(object, "object");
    return Optional.ofNullable(handlerOf(object)).map(ProxyHandler::reference);
  }

  static @Nullable ProxyHandler handlerOf(Object object) {
    if (!Proxy.isProxyClass(object.getClass())) {
      return null;
    }
    InvocationHandler handler = Proxy.getInvocationHandler(object);
    return handler instanceof ProxyHandler h ? h : null;
  }
}
