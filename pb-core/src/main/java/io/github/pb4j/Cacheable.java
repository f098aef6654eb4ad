package io.github.pb4j;

import org.jspecify.annotations.Nullable;

/**
 * An object copied once to each connection and then kept in sync by its owner. Java form of
 * Twisted's {@code pb.Cacheable}.
 *
 * <p>The first time it is sent on a connection the peer receives {@code [typeName, cacheLuid,
 * state]} and builds its {@link RemoteCache} from the state; later sends are {@code [b'cached',
 * luid]}. The owner keeps the {@link RemoteCacheObserver} it was given and calls the copy's {@link
 * Remote} methods through it (Twisted's {@code observe_} methods). When the peer has released
 * every copy, or the connection ends, {@link #stoppedObserving} runs.
 *
 * <p>Methods run on the connection's event loop.
 */
public interface Cacheable {
  /** Returns the type name on the wire, e.g. {@code "mymodule.Counter"}. */
  String cacheTypeName();

  /**
   * Returns the state to send to a new observer and keeps the observer for updates. Mirrors
   * {@code getStateToCacheAndObserveFor(perspective, observer)}.
   *
   * @param perspective the avatar this copy is sent for, or {@code null}
   */
  @Nullable Object stateToCacheAndObserveFor(@Nullable Object perspective, RemoteCacheObserver observer);

  /**
   * Called when {@code observer} no longer holds a copy. Mirrors {@code stoppedObserving}: when the
   * peer released its copies, the observer still reaches the copy during this call (a last update
   * may be sent) and the peer is told to drop the copy afterwards; when the connection is lost,
   * calls through the observer fail.
   */
  default void stoppedObserving(@Nullable Object perspective, RemoteCacheObserver observer) {}
}
