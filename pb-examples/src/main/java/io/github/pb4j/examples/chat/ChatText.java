package io.github.pb4j.examples.chat;

import java.util.Locale;

/**
 * The display rule of the chat: text from one user that reaches another user's screen has every
 * character that could move the cursor, change the terminal, reorder or break the line replaced by
 * a visible escape, so one message shows as one line and nobody can make a line look like {@code
 * <bob> says: ...}.
 *
 * <p>Escaped, in the style of Python's {@code repr}: C0 and C1 controls and DEL ({@code \n}, {@code
 * \r}, {@code \t} by name, ESC as {@code \x1b}, NEL as {@code \x85}); line and paragraph separators
 * (U+2028, U+2029, as {@code \u2028}); every format character (Unicode category Cf), which covers
 * the bidirectional controls (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069), zero-width
 * spaces and the byte order mark, except the zero-width (non-)joiners U+200C and U+200D, which
 * emoji and several scripts need and which move nothing; and lone surrogates. Everything else,
 * backslashes included, is kept as it is.
 *
 * <p><em>Stateless; thread-safe.</em>
 */
public final class ChatText {
  private ChatText() {}

  /** Returns {@code text} with every character that could spoof a line replaced by an escape. */
  public static String neutralise(String text) {
    int first = firstUnsafe(text);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    out.append(text, 0, first);
    for (int i = first; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (isUnsafe(c)) {
        escape(c, out);
      } else {
        out.appendCodePoint(c);
      }
      i += Character.charCount(c);
    }
    return out.toString();
  }

  /** Returns whether {@code text} shows as it is: {@link #neutralise} would not change it. */
  public static boolean isNeutral(String text) {
    return firstUnsafe(text) < 0;
  }

  private static int firstUnsafe(String text) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (isUnsafe(c)) {
        return i;
      }
      i += Character.charCount(c);
    }
    return -1;
  }

  /** Returns whether code point {@code c} is escaped. */
  static boolean isUnsafe(int c) {
    if (c == 0x200C || c == 0x200D) {
      return false;
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE ->
          true;
      default -> false;
    };
  }

  private static void escape(int c, StringBuilder out) {
    switch (c) {
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      default -> {
        String hex = Integer.toHexString(c).toLowerCase(Locale.ROOT);
        if (c <= 0xFF) {
          out.append("\\x").append("00", hex.length(), 2).append(hex);
        } else if (c <= 0xFFFF) {
          out.append("\\u").append("0000", hex.length(), 4).append(hex);
        } else {
          out.append("\\U").append("00000000", hex.length(), 8).append(hex);
        }
      }
    }
  }
}
