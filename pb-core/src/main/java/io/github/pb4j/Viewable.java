package io.github.pb4j;

/**
 * One shared object seen through each caller's perspective. Java form of Twisted's {@code
 * pb.Viewable}: every {@link Remote} method takes the caller's perspective (an {@link Avatar} or
 * the object the realm returned) as its first parameter, injected by the server; the client can
 * neither choose nor forge it.
 *
 * <pre>{@code
 * public final class Group implements Viewable {
 *   @Remote
 *   public void send(User from, String message) { ... }   // called remotely as send(message)
 * }
 * }</pre>
 */
public interface Viewable {}
