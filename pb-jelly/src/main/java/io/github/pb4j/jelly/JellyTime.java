package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * Conversions between {@code java.time} values and Jelly's space-separated date and time payloads
 * ({@code twisted.spread.jelly._Jellier.jelly}, {@code _Unjellier._unjelly_datetime}). Precision
 * is Python's: microseconds; finer digits are truncated.
 */
final class JellyTime {
  /** Python's {@code timedelta.max.days}. */
  private static final long MAX_DAYS = 999_999_999L;

  private JellyTime() {}

  static String datetime(LocalDateTime t) {
    checkYear(t.getYear());
    return t.getYear() + " " + t.getMonthValue() + " " + t.getDayOfMonth() + " " + clock(t.toLocalTime());
  }

  static String date(LocalDate d) {
    checkYear(d.getYear());
    return d.getYear() + " " + d.getMonthValue() + " " + d.getDayOfMonth();
  }

  static String time(LocalTime t) {
    return clock(t);
  }

  private static String clock(LocalTime t) {
    return t.getHour() + " " + t.getMinute() + " " + t.getSecond() + " " + t.getNano() / 1000;
  }

  private static void checkYear(int year) {
    if (year < 1 || year > 9999) {
      throw new JellyException("year: " + year + " (expected: 1..9999, Python's datetime range)");
    }
  }

  /** Returns Python's normalised (days, seconds, microseconds) of a duration. */
  static long[] timedeltaParts(Duration d) {
    long seconds = d.getSeconds();
    long micros = d.getNano() / 1000;
    return new long[] {Math.floorDiv(seconds, 86400), Math.floorMod(seconds, 86400), micros};
  }

  static String timedelta(Duration d) {
    long[] p = timedeltaParts(d);
    if (Math.abs(p[0]) > MAX_DAYS) {
      throw new JellyException("timedelta days: " + p[0] + " (expected: |days| <= " + MAX_DAYS + ")");
    }
    return p[0] + " " + p[1] + " " + p[2];
  }

  static LocalDateTime parseDatetime(ByteString payload) {
    int[] f = intFields(payload, 3, 7, "datetime");
    checkYear(f[0]);
    try {
      return LocalDateTime.of(f[0], f[1], f[2], f[3], f[4], f[5], micros(f[6]));
    } catch (DateTimeException e) {
      throw new JellyException("datetime: " + payload.toPythonRepr() + " (" + e.getMessage() + ")", e);
    }
  }

  static LocalDate parseDate(ByteString payload) {
    int[] f = intFields(payload, 3, 3, "date");
    checkYear(f[0]);
    try {
      return LocalDate.of(f[0], f[1], f[2]);
    } catch (DateTimeException e) {
      throw new JellyException("date: " + payload.toPythonRepr() + " (" + e.getMessage() + ")", e);
    }
  }

  static LocalTime parseTime(ByteString payload) {
    int[] f = intFields(payload, 0, 4, "time");
    try {
      return LocalTime.of(f[0], f[1], f[2], micros(f[3]));
    } catch (DateTimeException e) {
      throw new JellyException("time: " + payload.toPythonRepr() + " (" + e.getMessage() + ")", e);
    }
  }

  static Duration parseTimedelta(ByteString payload) {
    long[] f = fields(payload, 0, 3, "timedelta");
    if (Math.abs(f[0]) > MAX_DAYS || Math.abs(f[1]) > MAX_DAYS * 86400 || Math.abs(f[2]) > MAX_DAYS * 86400) {
      throw new JellyException("timedelta: " + payload.toPythonRepr() + " (out of range)");
    }
    return Duration.ofDays(f[0]).plusSeconds(f[1]).plusNanos(f[2] * 1000);
  }

  private static int micros(int micros) {
    if (micros < 0 || micros > 999_999) {
      throw new JellyException("microsecond: " + micros + " (expected: 0..999999)");
    }
    return micros * 1000;
  }

  /**
   * Like {@link #fields}, for fields that must fit an int: a wider value is refused rather than
   * truncated (4294969316 must not become the year 2020).
   */
  private static int[] intFields(ByteString payload, int min, int max, String what) {
    long[] f = fields(payload, min, max, what);
    int[] result = new int[f.length];
    for (int i = 0; i < f.length; i++) {
      if (f[i] != (int) f[i]) {
        throw new JellyException(what + ": " + payload.toPythonRepr() + " (field out of range)");
      }
      result[i] = (int) f[i];
    }
    return result;
  }

  /** Splits the payload into between {@code min} and {@code max} integers; missing ones are 0. */
  private static long[] fields(ByteString payload, int min, int max, String what) {
    String text;
    try {
      text = payload.toStringUtf8().strip();
    } catch (IllegalArgumentException e) {
      throw new JellyException(what + ": invalid payload " + payload.toPythonRepr(), e);
    }
    String[] parts = text.isEmpty() ? new String[0] : text.split("\\s+");
    if (parts.length < min || parts.length > max) {
      throw new JellyException(
          what + " fields: " + parts.length + " (expected: " + min + ".." + max + ")");
    }
    long[] result = new long[max];
    for (int i = 0; i < parts.length; i++) {
      try {
        result[i] = Long.parseLong(parts[i]);
      } catch (NumberFormatException e) {
        throw new JellyException(what + ": invalid payload " + payload.toPythonRepr(), e);
      }
    }
    return result;
  }
}
