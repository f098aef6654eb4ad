package io.github.pb4j.netty;

import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.Root;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/** Root object of the transport tests. <em>Thread-safe.</em> */
public final class TestRoot implements Root {
  /** An object passed by reference. */
  public static final class Thing implements Referenceable {
    @Remote
    public String name() {
      return "thing";
    }
  }

  final Thing thing = new Thing();
  /** Counts down when {@link #hang} is called. */
  final CountDownLatch hangCalled = new CountDownLatch(1);

  @Remote
  public @Nullable Object echo(@Nullable Object value) {
    return value;
  }

  @Remote
  public Thing thing() {
    return thing;
  }

  @Remote
  public boolean isThing(@Nullable Object value) {
    return value == thing;
  }

  /** Never answers. */
  @Remote
  public CompletableFuture<Object> hang() {
    hangCalled.countDown();
    return new CompletableFuture<>();
  }
}
