package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * The reader's events for one {@link Broker}, handed to the part of the engine that owns each:
 * the handshake, incoming and outgoing calls, the export table, the cache tables. Runs on the
 * broker's executor.
 */
final class BrokerEvents implements MessageReader.Handler {
  private final Broker broker;

  BrokerEvents(Broker broker) {
    this.broker = broker;
  }

  @Override
  public void handshake(Object expression) {
    broker.handshake.received(expression);
  }

  @Override
  public void message(Object requestId, Object objectId, ByteString method, boolean answerRequired,
      @Nullable Object args, @Nullable Object kwargs, boolean jellied) {
    broker.incomingCalls.message(requestId, objectId, method, answerRequired, args, kwargs, jellied);
  }

  @Override
  public void cacheMessage(Object requestId, Object cacheId, ByteString method, boolean answerRequired,
      Object args, Object kwargs) {
    broker.incomingCalls.cacheMessage(requestId, cacheId, method, answerRequired, args, kwargs);
  }

  @Override
  public void answer(int requestId, @Nullable Object body, boolean jellied) {
    broker.outgoingCalls.result(requestId, body, jellied, false);
  }

  @Override
  public void error(int requestId, Object body) {
    broker.outgoingCalls.result(requestId, body, true, true);
  }

  @Override
  public void decref(int luid) {
    if (!broker.exports.decref(luid)) {
      broker.protocolViolation("decref of unknown luid " + luid);
    }
  }

  @Override
  public void decache(Object luid) {
    broker.caches.handleDecache(luid);
  }

  @Override
  public void uncache(Object luid) {
    broker.caches.handleUncache(luid);
  }

  @Override
  public void protocolError(String reason) {
    broker.protocolViolation(reason);
  }
}
