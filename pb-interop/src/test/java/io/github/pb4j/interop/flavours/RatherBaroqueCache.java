package io.github.pb4j.interop.flavours;

import io.github.pb4j.Remote;
import io.github.pb4j.RemoteCache;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A Java client's copy of {@code flavours.Complicated}: test_pb's {@code RatherBaroqueCache}, whose
 * {@code observe_} methods the owner calls through its observer.
 */
final class RatherBaroqueCache implements RemoteCache {
  final int x;
  final int y;
  volatile int foo;
  private final Consumer<String> ended;

  RatherBaroqueCache(@Nullable Object state, Consumer<String> ended) {
    Map<?, ?> map = (Map<?, ?>) state;
    this.x = (Integer) map.get("x");
    this.y = (Integer) map.get("y");
    this.foo = (Integer) map.get("foo");
    this.ended = ended;
  }

  @Remote
  public int foo(int newFoo) {
    this.foo = newFoo;
    return newFoo;
  }

  @Remote
  public void end() {
    ended.accept("end");
  }
}
