package io.github.pb4j;

import io.github.pb4j.banana.SexpFormatter;
import org.jspecify.annotations.Nullable;

/** Small readings of decoded PB expressions, shared by the broker's parts. */
final class Sexps {
  private Sexps() {}

  /** Python's truth of an {@code answerRequired} flag: anything but 0 and False. */
  static boolean isTrue(Object flag) {
    return !(flag instanceof Integer i && i == 0) && !Boolean.FALSE.equals(flag);
  }

  /** Returns {@code sexp} in Python notation, cut to 80 characters: for error messages. */
  static String abbreviate(@Nullable Object sexp) {
    String s = sexp == null ? "None" : SexpFormatter.format(sexp);
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
