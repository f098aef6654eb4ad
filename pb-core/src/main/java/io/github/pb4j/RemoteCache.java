package io.github.pb4j;

/**
 * The receiving side's copy of a {@link Cacheable}: Java form of Twisted's {@code
 * pb.RemoteCache}. Its {@link Remote} methods are Twisted's {@code observe_} methods, called by
 * the owner's updates.
 *
 * <p>Register a factory for each cache type the connection accepts with {@link
 * BrokerOptions.Builder#remoteCache}; unregistered types are refused. Sending the copy back to its
 * owner delivers the original object. {@link Broker#releaseCache} tells the owner this side no
 * longer needs the copy ({@code decache}); the owner then answers {@code uncache}. A copy the
 * program no longer reaches is released the same way once the garbage collector finds it, as
 * Twisted's {@code RemoteCache.__del__} does.
 *
 * <p>Methods run on the connection's event loop.
 */
public interface RemoteCache {}
