package io.github.pb4j.benchmarks;

/**
 * A {@link Load} driven by one thread doing blocking round trips back to back: a blocking-socket
 * ping-pong, or a caller waiting on each {@code callRemote} future.
 */
final class ThreadLoad extends Load {
  /** One blocking round trip. */
  @FunctionalInterface
  interface RoundTrip {
    void run() throws Exception;
  }

  private final String name;
  private final RoundTrip roundTrip;
  private final AutoCloseable resource;

  /**
   * Creates a load running {@code roundTrip} on threads named {@code name}; {@code resource} is
   * closed last.
   */
  ThreadLoad(String name, RoundTrip roundTrip, AutoCloseable resource) {
    this.name = name;
    this.roundTrip = roundTrip;
    this.resource = resource;
  }

  @Override
  void issue() {
    Thread thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      while (!isStopping()) {
        roundTrip.run();
        completedOne();
      }
    } catch (Exception e) {
      fail(e);
    } finally {
      drained();
    }
  }

  @Override
  public void close() {
    try {
      resource.close();
    } catch (Exception e) {
      fail(e);
    }
  }
}
