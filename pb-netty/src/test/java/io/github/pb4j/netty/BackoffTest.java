package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Backoff BACKOFF =
      new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 0.25);

  @Test
  void growsByTheMultiplierUpToTheMaximum() {
    long[] expected = {100, 200, 400, 800, 1600, 2000, 2000};
    for (int i = 0; i < expected.length; i++) {
      assertThat(BACKOFF.delay(i, 0.0)).isEqualTo(Duration.ofMillis(expected[i]));
    }
    assertThat(BACKOFF.delay(10_000, 0.0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(BACKOFF.delay(Integer.MAX_VALUE, 0.0)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void jitterOnlyShortensADelay() {
    assertThat(BACKOFF.delay(0, 0.999_999)).isBetween(Duration.ofMillis(75), Duration.ofMillis(100));
    assertThat(BACKOFF.delay(20, 0.5)).isEqualTo(Duration.ofMillis(1750));
    for (double r = 0; r < 1; r += 0.01) {
      assertThat(BACKOFF.delay(30, r)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(2));
    }
    Backoff none = new Backoff(Duration.ofMillis(5), Duration.ofMillis(5), 1.0, 0.0);
    assertThat(none.delay(3, 0.7)).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void settingsThatDoNotFitAreRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0))
        .hasMessage("maxDelay: PT1S (expected: >= initialDelay PT2S)");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0))
        .hasMessage("multiplier: 0.5 (expected: >= 1)");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1.5))
        .hasMessage("jitter: 1.5 (expected: 0..1)");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), Double.NaN, 0))
        .hasMessage("multiplier: NaN (expected: >= 1)");
    assertThatThrownBy(() -> PbSession.builder().initialDelay(Duration.ZERO))
        .hasMessage("initialDelay: PT0S (expected: > 0)");
    assertThatThrownBy(() -> PbSession.builder().jitter(-0.1).build())
        .hasMessage("jitter: -0.1 (expected: 0..1)");
  }
}
