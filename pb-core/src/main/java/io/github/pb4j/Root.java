package io.github.pb4j;

/**
 * The object a server offers first, which every client reaches with {@code getRootObject()}. Java
 * form of Twisted's {@code pb.Root}; addressed on the wire as {@code b'root'}.
 */
public interface Root extends Referenceable {}
