package io.github.pb4j;

import org.jspecify.annotations.Nullable;

/** The {@link CacheTables.Connection} of a broker: what its cache tables may ask of it. */
final class CacheLink implements CacheTables.Connection {
  private final Broker broker;

  CacheLink(Broker broker) {
    this.broker = broker;
  }

  @Override
  public long id() {
    return broker.connectionId();
  }

  @Override
  public BrokerOptions options() {
    return broker.options();
  }

  @Override
  public boolean isOpen() {
    return broker.isOpen();
  }

  @Override
  public void send(BrokerCommand command, int luid) {
    broker.sendCacheCommand(command, luid);
  }

  @Override
  public void protocolError(String reason) {
    broker.protocolViolation(reason);
  }

  @Override
  public boolean runOnLoop(Runnable task) {
    return broker.runOnLoop(task);
  }

  @Override
  public void runCallback(Runnable callback, String what) {
    broker.runCallback(callback, what);
  }

  @Override
  public RemoteCacheObserver observer(int luid, @Nullable Object perspective) {
    return new RemoteCacheObserver(broker, luid, perspective);
  }
}
