package io.github.pb4j;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The owner's handle on one connection's copy of a {@link Cacheable}: calls made through it reach
 * the peer's {@link RemoteCache} ({@code cachemessage}). Java form of Twisted's {@code
 * pb.RemoteCacheObserver}.
 *
 * <p><em>Thread-safe.</em> Futures complete on the connection's event loop.
 */
public final class RemoteCacheObserver {
  private final Broker broker;
  private final int luid;
  private final @Nullable Object perspective;

  RemoteCacheObserver(Broker broker, int luid, @Nullable Object perspective) {
    this.broker = broker;
    this.luid = luid;
    this.perspective = perspective;
  }

  /** Calls {@code method} on the peer's copy and returns a future of its result. */
  public CompletableFuture<@Nullable Object> callRemote(String method, @Nullable Object... args) {
    List<?> list = args == null ? Arrays.asList((Object) null) : Arrays.asList(args);
    return broker.callCache(this, method, list, Map.of(), true);
  }

  /** Calls {@code method} on the peer's copy without asking for an answer. */
  public CompletableFuture<@Nullable Object> callRemoteNoAnswer(String method, @Nullable Object... args) {
    List<?> list = args == null ? Arrays.asList((Object) null) : Arrays.asList(args);
    return broker.callCache(this, method, list, Map.of(), false);
  }

  /** Returns the connection of this observer. */
  public Broker broker() {
    return broker;
  }

  /** Returns the perspective the copy was sent for, or {@code null}. */
  public @Nullable Object perspective() {
    return perspective;
  }

  int luid() {
    return luid;
  }

  @Override
  public String toString() {
    return "RemoteCacheObserver[conn " + broker.connectionId() + ", luid " + luid + "]";
  }
}
