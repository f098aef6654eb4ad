package io.github.pb4j.interop.flavours;

import io.github.pb4j.Cacheable;
import io.github.pb4j.RemoteCacheObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code flavours.Complicated}: test_pb's {@code VeryVeryComplicatedCacheable}. */
final class Complicated implements Cacheable {
  private static final Logger logger = LoggerFactory.getLogger(Complicated.class);

  private final Consumer<String> events;
  private int foo = 3;
  private @Nullable RemoteCacheObserver observer;

  Complicated(Consumer<String> events) {
    this.events = events;
  }

  @Override
  public String cacheTypeName() {
    return "flavours.Complicated";
  }

  @Override
  public Object stateToCacheAndObserveFor(
      @Nullable Object perspective, RemoteCacheObserver observer) {
    this.observer = observer;
    return Map.of("x", 1, "y", 2, "foo", foo);
  }

  CompletableFuture<@Nullable Object> setFoo4() {
    foo = 4;
    return observer.callRemote("foo", 4);
  }

  @Override
  public void stoppedObserving(@Nullable Object perspective, RemoteCacheObserver observer) {
    // As in test_pb: a last call through the observer, then forget it.
    observer.callRemote("end").whenComplete((v, e) -> {
      if (e != null) {
        logger.info("observer call 'end' in stoppedObserving failed: {}", e.toString());
      }
    });
    if (observer == this.observer) {
      this.observer = null;
    }
    events.accept("stoppedObserving");
  }
}
