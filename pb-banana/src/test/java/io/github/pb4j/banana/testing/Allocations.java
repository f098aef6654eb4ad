package io.github.pb4j.banana.testing;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;

/**
 * Measures heap allocation by the current thread, for tests asserting that hostile input cannot
 * make a decoder allocate in proportion to the sizes it claims. Aborts the calling test (an
 * assumption) on a JVM that cannot measure it.
 *
 * <p><em>Thread-safe.</em>
 */
public final class Allocations {
  private Allocations() {}

  /** Returns the bytes the current thread allocated while running {@code action}. */
  public static long allocatedBytes(Runnable action) {
    var threads = ManagementFactory.getThreadMXBean();
    assumeThat(threads).isInstanceOf(com.sun.management.ThreadMXBean.class);
    var hotspot = (com.sun.management.ThreadMXBean) threads;
    assumeThat(
            hotspot.isThreadAllocatedMemorySupported() && hotspot.isThreadAllocatedMemoryEnabled())
        .as("thread allocation measurement")
        .isTrue();
    long before = hotspot.getCurrentThreadAllocatedBytes();
    action.run();
    return hotspot.getCurrentThreadAllocatedBytes() - before;
  }
}
