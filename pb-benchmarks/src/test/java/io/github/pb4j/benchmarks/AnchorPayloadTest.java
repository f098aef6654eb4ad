package io.github.pb4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.JellyRegistry;
import io.github.pb4j.jelly.Unjellier;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnchorPayloadTest {
  @Test
  void isAListOfHundredDictsWithTextIntAndFloat() {
    List<Map<String, Object>> payload = AnchorPayload.create();

    assertThat(payload).hasSize(100);
    assertThat(payload.get(7))
        .containsExactly(Map.entry("name", "item-7"), Map.entry("id", 7), Map.entry("value", 10.5));
  }

  @Test
  void isAboutTenKilobytesOnTheWire() {
    assertThat(AnchorPayload.encoded().length).isBetween(9_000, 10_500);
  }

  @Test
  void survivesBananaAndJelly() {
    Object sexp =
        new BananaDecoder(BananaLimits.DEFAULT, Dialect.PB)
            .decode(Unpooled.wrappedBuffer(AnchorPayload.encoded()));

    assertThat(new Unjellier(JellyRegistry.EMPTY, null).unjelly(sexp))
        .isEqualTo(AnchorPayload.create());
  }
}
