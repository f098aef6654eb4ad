package io.github.pb4j;

import org.jspecify.annotations.Nullable;

/**
 * What one connection holds of its input budget: checked against the connection's own limit and
 * taken from (or given back to) the budget it shares with others as the input it holds changes.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor.
 */
final class InputCharge {
  private final long limit;
  private final InputBudget budget;
  private long held;

  InputCharge(BrokerOptions options) {
    this.limit = options.maxInputPerConnection();
    this.budget = options.inputBudget();
  }

  /**
   * Charges {@code bytes} held now instead of what was held before. Returns null if that fits, or
   * why not, having changed nothing.
   */
  @Nullable String hold(long bytes) {
    long more = bytes - held;
    if (more == 0) {
      return null; // the usual case: nothing held before or after a read
    }
    if (more < 0) {
      budget.giveBack(-more);
      held = bytes;
      return null;
    }
    if (bytes > limit) {
      return "input limit: an incomplete message holds " + bytes + " bytes (expected: <= " + limit
          + ", BrokerOptions.maxInputPerConnection)";
    }
    if (!budget.tryTake(more)) {
      return "input budget exhausted: an incomplete message needs " + more + " more bytes, "
          + budget.used() + " of the " + budget.capacity()
          + " bytes all connections share are in use (BrokerOptions.inputBudget)";
    }
    held = bytes;
    return null;
  }

  /** Gives everything held back. */
  void release() {
    hold(0);
  }
}
