package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link JitActivity}: quiet after a whole window of little compilation, and only then. */
class JitActivityTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final AtomicLong compiledMillis = new AtomicLong(500);
  private final JitActivity jit =
      new JitActivity(compiledMillis::get, now::get, Duration.ofMillis(300), 0.10);

  @Test
  void notQuietBeforeAWholeWindowHasPassed() {
    now.addAndGet(Duration.ofMillis(299).toNanos());
    assertThat(jit.quiet()).isFalse();
  }

  @Test
  void quietAfterAWindowWithCompilationBelowTheShare() {
    now.addAndGet(Duration.ofMillis(300).toNanos());
    compiledMillis.addAndGet(30); // 10% of 300 ms.
    assertThat(jit.quiet()).isTrue();
  }

  @Test
  void busyWhileTheCompilersWork() {
    now.addAndGet(Duration.ofMillis(300).toNanos());
    compiledMillis.addAndGet(31);
    assertThat(jit.quiet()).isFalse();

    // The next window starts where the last ended: its own compilation decides.
    now.addAndGet(Duration.ofMillis(300).toNanos());
    compiledMillis.addAndGet(400); // Two compiler threads flat out.
    assertThat(jit.quiet()).isFalse();
    now.addAndGet(Duration.ofMillis(400).toNanos());
    compiledMillis.addAndGet(12);
    assertThat(jit.quiet()).isTrue();
  }

  @Test
  void thisJvmReportsItsCompilationTime() {
    // HotSpot does; the warm-up then stops when the JIT goes quiet.
    assertThat(JitActivity.ofThisJvm()).isNotNull();
  }
}
