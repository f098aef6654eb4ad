package io.github.pb4j;

import java.net.SocketAddress;

/**
 * Sees what connections do, for metrics: connections opened and closed, handshakes that failed,
 * calls each way and their latency, errors, bytes, calls awaiting answers, references handed out,
 * logins. Installed with {@link BrokerOptions.Builder#observer} (or the {@code observer} option of
 * {@code PbServer} and {@code PbClient}); the module {@code pb-metrics} records them with
 * Micrometer. Every method does nothing by default, so an observer implements only what it needs.
 *
 * <p>Methods are called on the connection's event loop, for many connections at once from several
 * threads, while the connection does its work: they must be thread-safe, quick and must not block
 * or throw (what they throw is not caught everywhere). Counts given as deltas add up, over a
 * connection's life, to zero.
 *
 * <p>With the default, {@link #NONE}, nothing is measured: no clock is read and nothing is
 * allocated per call.
 */
public interface PbObserver {
  /** Observes nothing: the default. */
  PbObserver NONE = new PbObserver() {};

  /** Why a connection ended. */
  enum CloseReason {
    /** This side closed it (a program, a server stopping, a login refused twice, ...). */
    CLOSED_HERE,
    /** The peer closed it. */
    CLOSED_BY_PEER,
    /** The peer broke the protocol (an undecodable message, a wrong command). */
    PROTOCOL_ERROR,
    /** The peer did not finish the PB handshake in time. */
    HANDSHAKE_TIMEOUT,
    /** A limit was passed: input or output held for the connection, references. */
    LIMIT,
    /** The TLS layer failed (handshake, certificate, record). */
    TLS_ERROR,
    /** The network failed: reset, timeout, unreachable. */
    IO_ERROR,
    /** Anything else, such as an error that left this side unable to go on. */
    OTHER
  }

  /** Why a handshake failed. */
  enum HandshakeFailure {
    /** The peer said nothing, or not enough, before the handshake timeout. */
    TIMEOUT,
    /** No dialect both sides speak, or a malformed offer. */
    DIALECT,
    /** The TLS handshake failed. */
    TLS
  }

  /** Kinds of errors, as an operator would count them. */
  enum ErrorKind {
    /** A protocol violation by the peer; the connection is closed. */
    PROTOCOL,
    /** A limit was passed; the connection is closed. */
    LIMIT,
    /** A network error. */
    IO,
    /** A TLS error. */
    TLS,
    /** A remote method of this side threw an unexpected exception; the caller got the failure. */
    APPLICATION,
    /**
     * A call from the peer failed as expected: no such object or method, arguments that do not
     * fit, a refused login.
     */
    BAD_CALL,
    /** A call this side made was answered with a failure. */
    REMOTE_FAILURE,
    /** Anything else. */
    OTHER
  }

  /** The outcome of one login. */
  enum LoginOutcome {
    SUCCEEDED,
    /** Wrong or unknown credentials, or refused by the realm. */
    REFUSED,
    /** Refused without checking: too many recent failures (see {@code LoginThrottle}). */
    THROTTLED
  }

  /** A connection started; its broker exists, nothing is read yet. */
  default void connectionOpened(Broker broker) {}

  /** A connection that {@link #connectionOpened} reported ended. */
  default void connectionClosed(Broker broker, CloseReason reason) {}

  /**
   * A server refused a connection before making its broker: a connection limit was reached.
   * {@code reason} is a short word such as {@code max-connections}.
   */
  default void connectionRefused(SocketAddress peer, String reason) {}

  /** The handshake of a connection failed. */
  default void handshakeFailed(Broker broker, HandshakeFailure failure) {}

  /** This side sent a call ({@code message} or {@code cachemessage}). */
  default void callSent(Broker broker) {}

  /** The peer's call arrived. */
  default void callReceived(Broker broker) {}

  /**
   * This side finished serving a call of the peer, {@code nanos} after it arrived: answered, failed
   * ({@code failed}), or, for a call that wants no answer, done.
   */
  default void callServed(Broker broker, long nanos, boolean failed) {}

  /**
   * A call this side made ended, {@code nanos} after it was sent: answered, failed by the peer, or
   * lost with the connection ({@code failed}). Calls that want no answer are not reported.
   */
  default void callAnswered(Broker broker, long nanos, boolean failed) {}

  /** An error of the given kind happened on the connection. */
  default void error(Broker broker, ErrorKind kind) {}

  /** {@code bytes} arrived from the peer (after TLS: PB's own bytes). */
  default void bytesReceived(Broker broker, int bytes) {}

  /** {@code bytes} were written for the peer (before TLS: PB's own bytes). */
  default void bytesSent(Broker broker, int bytes) {}

  /** The number of calls this side made and awaits answers for changed by {@code delta}. */
  default void pendingCallsChanged(Broker broker, int delta) {}

  /**
   * The number of objects this side handed the peer (references and cached objects the peer may
   * call, the root excluded) changed by {@code delta}.
   */
  default void exportedReferencesChanged(Broker broker, int delta) {}

  /** A login through a portal served on this connection ended. */
  default void login(Broker broker, LoginOutcome outcome) {}
}
