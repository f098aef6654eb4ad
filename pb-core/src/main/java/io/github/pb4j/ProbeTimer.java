package io.github.pb4j;

import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-peer probe of one connection ({@link PeerProbe}): watches for silence from the peer,
 * sends the probe after {@link PeerProbe#interval()} of it, and closes the connection if nothing
 * arrives within {@link PeerProbe#timeout()} more. One timer on the connection's executor, moved
 * lazily: a read only records the time, and the timer, when it fires, sleeps again for what is
 * left of the interval (as Netty's {@code IdleStateHandler} does).
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor.
 */
final class ProbeTimer implements Runnable {
  private static final Logger logger = LoggerFactory.getLogger(Broker.class);

  // Few fields: one of these lives as long as each connection.
  private final Broker broker;
  private final PeerProbe probe;
  private long lastHeard;
  /** When the probe in flight was sent; 0 when none is. */
  private long probeSent;
  private @Nullable ScheduledFuture<?> timer;
  private boolean stopped;

  ProbeTimer(Broker broker, PeerProbe probe) {
    this.broker = broker;
    this.probe = probe;
  }

  /** Starts watching, once the handshake is over; does nothing if the probe is off. */
  void start() {
    if (!probe.enabled() || stopped) {
      return;
    }
    lastHeard = System.nanoTime();
    schedule(probe.interval().toNanos());
  }

  /** Something arrived from the peer. */
  void heard() {
    lastHeard = System.nanoTime();
  }

  /** Stops for good; at the end of the connection. */
  void stop() {
    stopped = true;
    ScheduledFuture<?> t = timer;
    if (t != null) {
      timer = null;
      t.cancel(false);
    }
  }

  private void schedule(long delayNanos) {
    try {
      timer = broker.executor().schedule(this, Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      timer = null; // the executor is shutting down: so is the connection
    } catch (UnsupportedOperationException e) {
      // An executor without timers (an in-memory test's immediate executor): no probe there.
      timer = null;
      stopped = true;
      logger.debug("[conn {}] the executor cannot schedule tasks: no dead-peer probe", broker.connectionId());
    }
  }

  /** The timer fired; on the executor. */
  @Override
  public void run() {
    timer = null;
    if (stopped || !broker.isConnected()) {
      return;
    }
    long intervalNanos = probe.interval().toNanos();
    long timeoutNanos = probe.timeout().toNanos();
    long now = System.nanoTime();
    long silent = now - lastHeard;
    if (probeSent != 0) {
      if (lastHeard - probeSent >= 0) {
        probeSent = 0; // the peer spoke: wait for the next silence
      } else if (now - probeSent >= timeoutNanos) {
        deadPeer();
        return;
      } else {
        schedule(timeoutNanos - (now - probeSent));
        return;
      }
    }
    if (silent < intervalNanos) {
      schedule(intervalNanos - silent);
      return;
    }
    if (broker.outgoingCalls.probe()) {
      probeSent = now;
      logger.debug("[conn {}] nothing from the peer for {} ms; probe sent", broker.connectionId(),
          TimeUnit.NANOSECONDS.toMillis(silent));
      schedule(timeoutNanos);
    } else {
      schedule(intervalNanos); // writing a message right now: try again later
    }
  }

  private void deadPeer() {
    String reason = "the peer sent nothing for " + millis(probe.interval()) + " ms and did not answer a probe within "
        + millis(probe.timeout()) + " ms";
    logger.info("[conn {}] closing the connection: {}", broker.connectionId(), reason);
    broker.closeWith(new TimeoutException(reason));
  }

  private static long millis(Duration d) {
    return d.toMillis();
  }
}
