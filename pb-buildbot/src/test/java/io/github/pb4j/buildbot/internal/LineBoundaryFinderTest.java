package io.github.pb4j.buildbot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LineBoundaryFinderTest {
  @Test
  void holdsAPartialLineUntilItsEnd() {
    LineBoundaryFinder f = new LineBoundaryFinder(4096);
    assertThat(f.append("ab")).isNull();
    assertThat(f.append("c\nde")).isEqualTo("abc\n");
    assertThat(f.append("f\ng\n")).isEqualTo("def\ng\n");
    assertThat(f.flush()).isNull();
  }

  @Test
  void flushEndsThePartialLine() {
    LineBoundaryFinder f = new LineBoundaryFinder(4096);
    assertThat(f.append("partial")).isNull();
    assertThat(f.flush()).isEqualTo("partial\n");
    assertThat(f.flush()).isNull();
  }

  @Test
  void terminalLineEndsBecomeNewlines() {
    LineBoundaryFinder f = new LineBoundaryFinder(4096);
    assertThat(f.append("a\r\nb\rc\n")).isEqualTo("a\nb\nc\n");
    assertThat(f.append("x\u0008\u0008y\n")).isEqualTo("x\ny\n");
    assertThat(f.append("p\u001b[2Jq\u001b[12;3Hr\u001b[us\n")).isEqualTo("p\nq\nr\ns\n");
  }

  @Test
  void aCarriageReturnAtTheEndOfAReadWaitsForWhatFollows() {
    LineBoundaryFinder f = new LineBoundaryFinder(4096);
    assertThat(f.append("a\r")).isNull();
    assertThat(f.append("\nb\n")).isEqualTo("a\nb\n");
  }

  @Test
  void longLinesAreCutWithoutLosingCharacters() {
    LineBoundaryFinder f = new LineBoundaryFinder(5);
    assertThat(f.append("abcdefghij\n")).isEqualTo("abcd\nefgh\nij\n");
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    LineBoundaryFinder f = new LineBoundaryFinder(5);
    String emoji = "\uD83D\uDE00";
    String out = f.append("abc" + emoji + "def\n");
    assertThat(out).isEqualTo("abc\n" + emoji + "de\nf\n");
    assertThat(new LineBoundaryFinder(2).append(emoji + emoji + "\n")).isEqualTo(emoji + "\n" + emoji + "\n");
  }

  @Property
  void everyCharacterComesOutOnceInOrder(@ForAll List<@IntRange(min = 0, max = 6) Integer> pieces,
      @ForAll @IntRange(min = 2, max = 9) int max) {
    String[] alphabet = {"a", "b\n", "\uD83D\uDE00", "\u00e9", "\n", "cc", "d"};
    StringBuilder in = new StringBuilder();
    List<String> outs = new ArrayList<>();
    LineBoundaryFinder f = new LineBoundaryFinder(max);
    for (int p : pieces) {
      in.append(alphabet[p]);
      String o = f.append(alphabet[p]);
      if (o != null) {
        outs.add(o);
      }
    }
    String last = f.flush();
    if (last != null) {
      outs.add(last);
    }
    String out = String.join("", outs);
    assertThat(out.replace("\n", "")).isEqualTo(in.toString().replace("\n", ""));
    for (String o : outs) {
      assertThat(o).endsWith("\n");
      assertThat(Character.isLowSurrogate(o.charAt(0))).isFalse();
      for (String line : o.split("\n")) {
        assertThat(line.length()).isLessThanOrEqualTo(Math.max(max - 1, 2));
        assertThat(line.isEmpty() || !Character.isHighSurrogate(line.charAt(line.length() - 1))).isTrue();
      }
    }
  }
}
