package io.github.pb4j;

/**
 * A perspective: the server-side object a logged-in user acts through. Java form of Twisted's
 * {@code pb.Avatar}; its {@link Remote} methods are Twisted's {@code perspective_} methods.
 *
 * <p>Results of an avatar's methods are serialised for that avatar, so a {@link Viewable} they
 * return reaches the client bound to this perspective.
 */
public interface Avatar extends Referenceable {}
