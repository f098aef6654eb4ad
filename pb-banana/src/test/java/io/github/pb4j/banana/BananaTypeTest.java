package io.github.pb4j.banana;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BananaTypeTest {

  @Test
  void mapsTypeBytesBothWays() {
    for (BananaType type : BananaType.values()) {
      assertThat(BananaType.fromWire(type.code())).isSameAs(type);
      assertThat(BananaType.fromWire((byte) type.code())).as("signed byte").isSameAs(type);
    }
    assertThat(BananaType.LIST.code()).isEqualTo(0x80);
    assertThat(BananaType.VOCAB.code()).isEqualTo(0x87);
  }

  @Test
  void returnsNullForOtherBytes() {
    for (int b = 0; b < 0x80; b++) {
      assertThat(BananaType.fromWire(b)).isNull();
    }
    for (int b = 0x88; b <= 0xff; b++) {
      assertThat(BananaType.fromWire(b)).isNull();
    }
  }
}
