package io.github.pb4j.banana.internal;

import io.github.pb4j.banana.ByteString;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The pb dialect's fixed 31-word vocabulary (Twisted's {@code pb.Broker.knownSymbols}).
 *
 * <p>Word numbers start at 1. Case-sensitive. <em>Immutable.</em>
 */
public final class Vocabulary {
  /** Words in number order: index 0 is word 1. */
  private static final List<String> WORDS =
      List.of(
          "None", "class", "dereference", "reference", "dictionary", "function", "instance",
          "list", "module", "persistent", "tuple", "unpersistable", "copy", "cache", "cached",
          "remote", "local", "lcache", "version", "login", "password", "challenge", "logged_in",
          "not_logged_in", "cachemessage", "message", "answer", "error", "decref", "decache",
          "uncache");

  private static final ByteString[] BY_NUMBER = new ByteString[WORDS.size() + 1];
  private static final Map<String, Integer> NUMBER_BY_TEXT = new HashMap<>();
  private static final int MIN_LENGTH;
  private static final int MAX_LENGTH;
  /** Bit {@code c & 63} of entry {@code length} set when some word of that length starts with c. */
  private static final long[] FIRST_CHARS = new long[16];

  static {
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int i = 0; i < WORDS.size(); i++) {
      String word = WORDS.get(i);
      BY_NUMBER[i + 1] = ByteString.ascii(word);
      NUMBER_BY_TEXT.put(word, i + 1);
      min = Math.min(min, word.length());
      max = Math.max(max, word.length());
      FIRST_CHARS[word.length()] |= 1L << (word.charAt(0) & 63);
    }
    MIN_LENGTH = min;
    MAX_LENGTH = max;
  }

  private Vocabulary() {}

  /** Returns the number of words (31). */
  public static int size() {
    return WORDS.size();
  }

  /** Returns the word with this number, or {@code null} if there is none. */
  public static @Nullable ByteString word(long number) {
    return number >= 1 && number < BY_NUMBER.length ? BY_NUMBER[(int) number] : null;
  }

  /** Returns the number of {@code word}, or 0 if it is not a vocabulary word. */
  public static int numberOf(ByteString word) {
    int n = word.size();
    if (n < MIN_LENGTH || n > MAX_LENGTH) {
      return 0;
    }
    // Candidates share the first byte and the length: at most a few comparisons.
    for (int i = 1; i < BY_NUMBER.length; i++) {
      ByteString w = BY_NUMBER[i];
      if (w.size() == n && w.byteAt(0) == word.byteAt(0) && w.equals(word)) {
        return i;
      }
    }
    return 0;
  }

  /** Returns the number of the ASCII text {@code word}, or 0 if it is not a vocabulary word. */
  public static int numberOf(String word) {
    int n = word.length();
    if (n < MIN_LENGTH || n > MAX_LENGTH || (FIRST_CHARS[n] & (1L << (word.charAt(0) & 63))) == 0) {
      return 0;
    }
    Integer number = NUMBER_BY_TEXT.get(word);
    return number == null ? 0 : number;
  }

  /** Returns the number of the word in {@code length} bytes at {@code offset}, or 0. */
  public static int numberOf(byte[] bytes, int offset, int length) {
    if (length < MIN_LENGTH || length > MAX_LENGTH) {
      return 0;
    }
    return numberOfAscii(bytes, offset, length);
  }

  private static int numberOfAscii(byte[] bytes, int offset, int length) {
    // Candidates share the first byte and the length: at most a few comparisons.
    for (int i = 1; i < BY_NUMBER.length; i++) {
      ByteString w = BY_NUMBER[i];
      if (w.size() == length && w.byteAt(0) == bytes[offset] && w.contentEquals(bytes, offset, length)) {
        return i;
      }
    }
    return 0;
  }
}
