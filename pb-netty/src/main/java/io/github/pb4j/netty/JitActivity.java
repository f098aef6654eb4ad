package io.github.pb4j.netty;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Tells when the JIT compilers have gone quiet: the time they spent compiling over the last
 * {@code window} was at most {@code share} of that window. {@link WarmUp} stops there, since a
 * quiet JIT means the code it runs has been compiled as far as it will be.
 *
 * <p>The compilation time is the JVM's total ({@link CompilationMXBean#getTotalCompilationTime},
 * all compiler threads); a JVM that does not report it is never quiet, and the warm-up runs its
 * whole budget.
 *
 * <p><em>Not thread-safe</em>: one warm-up's loop samples it.
 */
final class JitActivity {
  /** The window of the default measure. */
  static final Duration WINDOW = Duration.ofMillis(300);

  /**
   * Compile time per unit of wall time below which the JIT counts as quiet by default: 10% of one
   * compiler thread. A JIT still catching up with a login path runs its compiler threads
   * flat out (1.0 per thread); with the path compiled it compiles a method now and then.
   */
  static final double SHARE = 0.10;

  private final LongSupplier compileMillis;
  private final LongSupplier nanoClock;
  private final long windowNanos;
  private final double share;
  private long windowStart;
  private long compileAtStart;

  JitActivity(LongSupplier compileMillis, LongSupplier nanoClock, Duration window, double share) {
    this.compileMillis = compileMillis;
    this.nanoClock = nanoClock;
    this.windowNanos = window.toNanos();
    this.share = share;
    this.windowStart = nanoClock.getAsLong();
    this.compileAtStart = compileMillis.getAsLong();
  }

  /** Watches this JVM's compilers; null if the JVM does not report their time. */
  static @Nullable JitActivity ofThisJvm() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return null;
    }
    return new JitActivity(jit::getTotalCompilationTime, System::nanoTime, WINDOW, SHARE);
  }

  /**
   * Returns true once a whole window has passed since the last one began with compilation below
   * the share; each call past a window's end starts the next.
   */
  boolean quiet() {
    long now = nanoClock.getAsLong();
    long elapsed = now - windowStart;
    if (elapsed < windowNanos) {
      return false;
    }
    long compiled = compileMillis.getAsLong();
    boolean quiet = (compiled - compileAtStart) * 1_000_000.0 <= share * elapsed;
    windowStart = now;
    compileAtStart = compiled;
    return quiet;
  }
}
