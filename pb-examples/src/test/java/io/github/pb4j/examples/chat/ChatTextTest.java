package io.github.pb4j.examples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The chat's display rule. */
class ChatTextTest {
  @Test
  void escapesWhatCouldSpoofALine() {
    assertThat(ChatText.neutralise("a\r\n<bob> says: b")).isEqualTo("a\\r\\n<bob> says: b");
    assertThat(ChatText.neutralise("\u001b[2J\u007f\u0085\u009b\u0000\t"))
        .isEqualTo("\\x1b[2J\\x7f\\x85\\x9b\\x00\\t");
    assertThat(ChatText.neutralise("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
        .isEqualTo("\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069");
    assertThat(ChatText.neutralise("\u200e\u200f\u061c\u2028\u2029\ufeff\u200b\u00ad"))
        .isEqualTo("\\u200e\\u200f\\u061c\\u2028\\u2029\\ufeff\\u200b\\xad");
    assertThat(ChatText.neutralise("\udb40\udc01 \ud800x")).isEqualTo("\\U000e0001 \\ud800x");
  }

  @Test
  void keepsOrdinaryTextAsItIs() {
    String text = "Grüße, 你好, שלום, مرحبا, \\n, 👩\u200d👩\u200d👧, ‌x";
    assertThat(ChatText.neutralise(text)).isSameAs(text);
    assertThat(ChatText.isNeutral(text)).isTrue();
    assertThat(ChatText.isNeutral("#a\u202eb")).isFalse();
  }

  @Property
  void theResultHoldsNothingThatMovesTheCursorOrReordersTheLine(@ForAll String text) {
    String shown = ChatText.neutralise(text);
    assertThat(shown.codePoints().filter(ChatText::isUnsafe)).isEmpty();
    assertThat(ChatText.isNeutral(shown)).isTrue();
    assertThat(ChatText.neutralise(shown)).isEqualTo(shown);
  }

  @Property
  void neutralTextIsKept(@ForAll String text) {
    assertThat(ChatText.neutralise(text).equals(text)).isEqualTo(ChatText.isNeutral(text));
  }
}
