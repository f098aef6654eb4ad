package io.github.pb4j.examples.chat;

import io.github.pb4j.Broker;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.examples.ExampleRunner;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages on their way to one session's mind, bounded. Each message is a {@code print} call
 * whose answer tells that the client has taken it. At most {@code limit} calls go unanswered, and
 * none is made while the connection's transport holds more than its high water mark; a message that
 * would pass either bound is dropped, as is every later one until the client has caught up (half
 * the bound or fewer unanswered, transport writable again). Then the client gets one notice with
 * the number of messages it missed, and delivery resumes. A client that never catches up costs the
 * server at most {@code limit} pending calls and one transport buffer, and slows no one else: the
 * other members' deliveries never wait for this one.
 *
 * <p>Used by {@link ChatService} and by the cluster mode ({@code
 * io.github.pb4j.examples.chat.cluster}), which delivers what other servers send.
 *
 * <p><em>Thread-safe:</em> senders call {@link #deliver} from their own event loops (or the
 * cluster's listening thread); answers come on the session's.
 */
public final class Delivery {
  private static final Logger logger = LoggerFactory.getLogger(ChatService.class);

  private final String name;
  private final RemoteReference mind;
  private final int limit;

  private int unanswered; // Guarded by this.
  private long dropped; // Guarded by this.
  private boolean waitingForWritable; // Guarded by this.

  /**
   * Creates the delivery to {@code mind}, the client of the user shown as {@code name}, letting
   * {@code limit} messages go unanswered.
   */
  public Delivery(String name, RemoteReference mind, int limit) {
    this.name = name;
    this.mind = mind;
    this.limit = limit;
  }

  /**
   * Sends {@code line} to each of {@code deliveries} as {@link #deliver} does, connection by
   * connection: one task on each connection's event loop makes the calls to every session on it and
   * flushes them together ({@link Broker#batch}), so that a message to a hundred members on ten
   * connections costs ten hops between threads and ten writes to the network, not a hundred. The
   * order of the lines one sender sends is kept on every connection.
   */
  public static void deliverAll(Iterable<Delivery> deliveries, String line) {
    Map<Broker, List<Delivery>> byConnection = new IdentityHashMap<>();
    for (Delivery d : deliveries) {
      byConnection.computeIfAbsent(d.mind.broker(), b -> new ArrayList<>()).add(d);
    }
    byConnection.forEach(
        (broker, onIt) ->
            broker.batch(
                () -> {
                  for (Delivery d : onIt) {
                    d.deliver(line);
                  }
                }));
  }

  /** Sends {@code line} to the mind, or drops it if the client is not keeping up. */
  public void deliver(String line) {
    boolean send;
    boolean first = false;
    synchronized (this) {
      send = dropped == 0 && unanswered < limit && mind.broker().isWritable();
      if (send) {
        unanswered++;
      } else {
        dropped++;
        first = dropped == 1;
      }
    }
    if (send) {
      print(line);
      return;
    }
    if (first) {
      logger.info("{} is not keeping up: dropping messages to one session until it does", name);
    }
    catchUp();
  }

  /** Sends the notice of what was dropped once the client has caught up. */
  private void catchUp() {
    long missed;
    boolean waitForWritable = false;
    synchronized (this) {
      if (dropped == 0 || unanswered > limit / 2) {
        return; // Nothing missed, or an answer will call again.
      }
      if (!mind.broker().isWritable()) {
        waitForWritable = !waitingForWritable;
        waitingForWritable = true;
        missed = 0;
      } else {
        missed = dropped;
        dropped = 0;
        unanswered++;
      }
    }
    if (waitForWritable) {
      mind.broker()
          .whenWritable()
          .whenComplete(
              (ignored, failure) -> {
                synchronized (this) {
                  waitingForWritable = false;
                }
                if (failure == null) {
                  catchUp();
                }
              });
    } else if (missed > 0) {
      logger.info("{} caught up; {} message{} dropped", name, missed, missed == 1 ? "" : "s");
      print(notice(missed));
    }
  }

  /** Returns the line a client gets after missing {@code missed} messages. */
  static String notice(long missed) {
    return missed == 1
        ? "* 1 message to you was dropped: your client was not keeping up"
        : "* " + missed + " messages to you were dropped: your client was not keeping up";
  }

  private void print(String line) {
    CompletableFuture<?> call;
    try {
      call = mind.callRemote("print", line);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            // The client chose the failure's text: shown by the chat's rule in the log.
            logger.warn(
                "delivery to {} failed: {}",
                name,
                ChatText.neutralise(ExampleRunner.describe(failure)));
          }
          synchronized (this) {
            unanswered--;
          }
          catchUp();
        });
  }
}
