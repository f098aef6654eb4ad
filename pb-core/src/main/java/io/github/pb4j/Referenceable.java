package io.github.pb4j;

/**
 * An object passed by reference: the peer receives a {@link RemoteReference} through which it
 * calls this object's {@link Remote} methods. Java form of Twisted's {@code pb.Referenceable}.
 *
 * <p>Each connection gets its own unforgeable reference: a peer can only reach objects that were
 * sent to it on that connection. The object is exported while the peer holds a reference to it.
 */
public interface Referenceable {}
