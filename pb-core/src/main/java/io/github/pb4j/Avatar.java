package io.github.pb4j;

/**
 * A perspective: the server-side object a logged-in user acts through. Java form of Twisted's
 * {@code pb.Avatar}; its {@link Remote} methods are Twisted's {@code perspective_} methods.
 *
 * <p>Results of an avatar's methods are serialised for that avatar, so a {@link Viewable} they
 * return reaches the client bound to this perspective.
 *
 * <p>An avatar reaches its own client only through login ({@link PortalRoot}). It is never sent
 * any other way, since whoever holds a reference to it acts as its user: an avatar in a result, in
 * a call's arguments, or inside a list, a map, a copy's or a cache's state is refused with {@link
 * io.github.pb4j.jelly.InsecureJellyException} ({@code "instance of class ... deemed insecure"}),
 * as Twisted refuses a {@code pb.Avatar}. To let users reach each other, send a {@link
 * Referenceable} made for that.
 */
public interface Avatar extends Referenceable {}
