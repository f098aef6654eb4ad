package io.github.pb4j;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory that connections share for input they hold but cannot process yet: the bytes of a
 * message still arriving and the part of it already decoded. A connection takes from the budget
 * as such input grows and gives it back once the message is handled or the connection ends; one
 * that would take more than is left is closed (its peer is told nothing more, as when Twisted
 * drops a connection) and the others go on.
 *
 * <p>Every connection of the process shares {@link #process()} unless its {@link BrokerOptions}
 * name another budget. Messages that arrive whole in one read never touch the budget.
 *
 * <p><em>Thread-safe.</em>
 */
public final class InputBudget {
  /** The share of the maximum heap ({@link Runtime#maxMemory()}) the process budget gets: 1/4. */
  public static final int PROCESS_HEAP_DIVISOR = 4;

  private static final InputBudget PROCESS =
      new InputBudget(Runtime.getRuntime().maxMemory() / PROCESS_HEAP_DIVISOR);

  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  private InputBudget(long capacity) {
    this.capacity = capacity;
  }

  /** Returns the budget every connection shares by default: a quarter of the maximum heap. */
  public static InputBudget process() {
    return PROCESS;
  }

  /**
   * Returns a new budget of {@code bytes}, for a server that wants its connections to share less
   * (or more) than the process budget.
   *
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public static InputBudget of(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 1)");
    }
    return new InputBudget(bytes);
  }

  /** Returns the size of this budget in bytes. */
  public long capacity() {
    return capacity;
  }

  /** Returns the bytes connections hold from this budget now. */
  public long used() {
    return used.get();
  }

  /** Takes {@code bytes} if that many are left; returns false, taking nothing, if not. */
  boolean tryTake(long bytes) {
    while (true) {
      long now = used.get();
      if (bytes > capacity - now) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /** Gives back {@code bytes} taken before. */
  void giveBack(long bytes) {
    used.addAndGet(-bytes);
  }

  @Override
  public String toString() {
    return "InputBudget[" + used() + " of " + capacity + " bytes used]";
  }
}
