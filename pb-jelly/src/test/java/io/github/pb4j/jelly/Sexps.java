package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.testing.JellyCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builders for expected s-expressions, written the way {@code PB-PROTOCOL.md} writes them. */
final class Sexps {
  private Sexps() {}

  /** A Banana list: {@code sexp(b("list"), 1, 2)} is {@code [b'list', 1, 2]}. */
  static List<Object> sexp(Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  /** A byte string from ASCII text: {@code b("None")} is {@code b'None'}. */
  static ByteString b(String text) {
    return ByteString.utf8(text);
  }

  /** {@code [b'unicode', utf8]}. */
  static List<Object> unicode(String text) {
    return sexp(b("unicode"), ByteString.utf8(text));
  }

  /** Returns the none-dialect hex of an s-expression. */
  static String hex(Object sexp) {
    return JellyCodec.encodeSexp(sexp, Dialect.NONE);
  }

  /** Returns the pb-dialect hex of an s-expression. */
  static String pbHex(Object sexp) {
    return JellyCodec.encodeSexp(sexp, Dialect.PB);
  }
}
