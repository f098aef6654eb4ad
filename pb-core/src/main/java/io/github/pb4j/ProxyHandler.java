package io.github.pb4j;

import io.github.pb4j.jelly.TypeMismatchException;
import io.github.pb4j.jelly.internal.TypeCoercion;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** Turns a stub's method calls into {@code callRemote}s, following its interface's {@link ProxyPlan}. */
final class ProxyHandler implements InvocationHandler {
  private final ProxyPlan plan;
  private final RemoteReference reference;

  ProxyHandler(ProxyPlan plan, RemoteReference reference) {
    this.plan = plan;
    this.reference = reference;
  }

  RemoteReference reference() {
    return reference;
  }

  @Override
  public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
      throws Throwable {
    ProxyPlan.Call call = plan.call(method);
    if (call != null) {
      return send(call, args == null ? new Object[0] : args);
    }
    if (method.isDefault()) {
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    return switch (method.getName()) {
      case "equals" -> args != null && args[0] != null && isSameStub(args[0]);
      case "hashCode" -> plan.type().hashCode() * 31 + reference.hashCode();
      case "toString" -> plan.type().getSimpleName() + " stub of " + reference;
      default -> throw new UnsupportedOperationException(method.toString());
    };
  }

  private boolean isSameStub(Object other) {
    ProxyHandler h = RemoteProxy.handlerOf(other);
    return h != null && h.plan == plan && h.reference.equals(reference);
  }

  private CompletableFuture<@Nullable Object> send(ProxyPlan.Call call, @Nullable Object[] args) {
    List<@Nullable Object> positional = new ArrayList<>(args.length);
    Map<String, @Nullable Object> keywords = call.hasKeywords ? new HashMap<>() : Map.of();
    int last = args.length - 1;
    for (int i = 0; i < args.length; i++) {
      Object value = unwrap(args[i]);
      String keyword = call.keywords[i];
      if (keyword != null) {
        if (value != null || !call.omitWhenNull[i]) {
          keywords.put(keyword, value);
        }
      } else if (i == last && call.spreadsLast) {
        spread(value, positional);
      } else {
        positional.add(value);
      }
    }
    CompletableFuture<@Nullable Object> sent =
        call.hasKeywords
            ? reference.callRemoteWithKeywords(call.wireName, positional, keywords)
            : reference.callRemoteWithKeywords(call.wireName, positional, Map.of());
    return sent.thenApply(result -> convert(call, result));
  }

  private static void spread(@Nullable Object array, List<@Nullable Object> into) {
    if (array == null) {
      return;
    }
    int n = Array.getLength(array);
    for (int j = 0; j < n; j++) {
      into.add(unwrap(Array.get(array, j)));
    }
  }

  private static @Nullable Object unwrap(@Nullable Object value) {
    if (value == null) {
      return null;
    }
    ProxyHandler h = RemoteProxy.handlerOf(value);
    return h == null ? value : h.reference;
  }

  private static @Nullable Object convert(ProxyPlan.Call call, @Nullable Object result) {
    switch (call.resultKind) {
      case DISCARD:
        return null;
      case STUB:
        if (result == null) {
          return null;
        }
        if (result instanceof RemoteReference ref) {
          return RemoteProxy.create(ProxyPlan.rawClass(call.resultType), ref);
        }
        throw new TypeMismatchException(
            call.resultLabel
                + ": "
                + TypeCoercion.pythonTypeName(result)
                + " (expected: a reference, for "
                + call.resultType.getTypeName()
                + ")");
      default:
        return TypeCoercion.coerce(result, call.resultType, call.resultLabel);
    }
  }
}
