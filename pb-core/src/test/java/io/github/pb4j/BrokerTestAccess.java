package io.github.pb4j;

import io.github.pb4j.testing.Futures;
import java.util.concurrent.Callable;

/**
 * Test support for other modules: what a broker holds, read on its executor. Shipped in
 * pb-core's test jar; not part of the API.
 */
public final class BrokerTestAccess {
  private BrokerTestAccess() {}

  /**
   * Runs {@code task} on {@code broker}'s executor and returns its result, waiting up to {@link
   * Futures#TIMEOUT}; the way to read a broker's state from a test thread.
   *
   * @throws java.util.concurrent.ExecutionException if the task threw
   */
  public static <T> T onLoop(Broker broker, Callable<T> task) throws Exception {
    return Futures.await(broker.executor().submit(task));
  }

  /** The number of objects {@code broker} exports, root included; call on its executor. */
  public static int exportedCount(Broker broker) {
    checkThread(broker);
    return broker.exports.size();
  }

  /** The number of references {@code broker} holds to the peer's objects; call on its executor. */
  public static int importedCount(Broker broker) {
    checkThread(broker);
    return broker.imports.size();
  }

  /** The number of calls {@code broker} awaits answers to; call on its executor. */
  public static int pendingCount(Broker broker) {
    checkThread(broker);
    return broker.outgoingCalls.pendingCount();
  }

  /** The number of caches {@code broker} has copied to the peer; call on its executor. */
  public static int exportedCacheCount(Broker broker) {
    checkThread(broker);
    return broker.caches.exportedCount();
  }

  /** The number of cache copies {@code broker} holds; call on its executor. */
  public static int heldCacheCount(Broker broker) {
    checkThread(broker);
    return broker.caches.heldCount();
  }

  /** The number of messages {@code broker} read in one pass, without the Banana tree. */
  public static long onePassReads(Broker broker) {
    checkThread(broker);
    return broker.reader.onePassReads();
  }

  /** Makes {@code broker} read everything through the decoder and the unjellier (as TRACE does). */
  public static void disableOnePassReading(Broker broker) {
    broker.reader.disableOnePassReading();
  }

  private static void checkThread(Broker broker) {
    if (!broker.executor().inEventLoop()) {
      throw new IllegalStateException("must be called on the connection's executor");
    }
  }
}
