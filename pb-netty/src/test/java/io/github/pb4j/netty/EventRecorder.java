package io.github.pb4j.netty;

import io.github.pb4j.Broker;
import io.github.pb4j.PbObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link PbObserver} that records every event it hears, by name; for tests. */
final class EventRecorder implements PbObserver {
  final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void connectionOpened(Broker broker) {
    events.add("opened");
  }

  @Override
  public void connectionClosed(Broker broker, CloseReason reason) {
    events.add("closed");
  }

  @Override
  public void connectionRefused(java.net.SocketAddress peer, String reason) {
    events.add("refused");
  }

  @Override
  public void callReceived(Broker broker) {
    events.add("call");
  }

  @Override
  public void callSent(Broker broker) {
    events.add("sent");
  }

  @Override
  public void bytesReceived(Broker broker, int bytes) {
    events.add("bytes");
  }

  @Override
  public void exportedReferencesChanged(Broker broker, int delta) {
    events.add("exported");
  }

  @Override
  public void login(Broker broker, LoginOutcome outcome) {
    events.add("login " + outcome);
  }
}
