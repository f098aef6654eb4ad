package io.github.pb4j.buildbot.internal;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Cuts a stream of text into whole lines, as the Python worker does before it sends output: the
 * newline forms terminals use ({@code \r\n}, a lone {@code \r}, cursor movements, backspaces)
 * become {@code \n}, a partial line waits for its end, and lines longer than the limit are cut
 * (never inside a surrogate pair). <em>Not thread-safe.</em>
 */
public final class LineBoundaryFinder {
  /** The Python worker's pattern; Python's {@code .} is "anything but \n". */
  private static final Pattern NEWLINE =
      Pattern.compile("(\r\n|\r(?=[^\n])|\u001b\\[u|\u001b\\[[0-9]+;[0-9]+[Hf]|\u001b\\[2J|\u0008+)");

  private final int maxLineLength;
  private String partial = "";

  public LineBoundaryFinder(int maxLineLength) {
    if (maxLineLength < 2) {
      throw new IllegalArgumentException("maxLineLength < 2");
    }
    this.maxLineLength = maxLineLength;
  }

  /** Adds text; returns the whole lines it completes (each ending in {@code \n}), or null. */
  public @Nullable String append(String text) {
    String all = NEWLINE.matcher(partial + text).replaceAll("\n");
    StringBuilder out = new StringBuilder();
    int first = 0;
    int lf;
    while ((lf = all.indexOf('\n', first)) >= 0) {
      first = cutLong(all, first, lf, out);
      out.append(all, first, lf + 1);
      first = lf + 1;
    }
    first = cutLong(all, first, all.length(), out);
    partial = all.substring(first);
    return out.length() == 0 ? null : out.toString();
  }

  /** Emits pieces of {@code [first, end)} while it is too long for one line; returns the rest's start. */
  private int cutLong(String all, int first, int end, StringBuilder out) {
    while (end - first >= maxLineLength) {
      int cut = first + maxLineLength - 1;
      if (Character.isHighSurrogate(all.charAt(cut - 1)) && Character.isLowSurrogate(all.charAt(cut))) {
        // Keep the pair together: before it, or (when it starts the line) with it.
        cut = cut - 1 > first ? cut - 1 : cut + 1;
        if (cut >= end) {
          break;
        }
      }
      out.append(all, first, cut).append('\n');
      first = cut;
    }
    return first;
  }

  /** Returns the pending partial line completed with {@code \n}, or null if there is none. */
  public @Nullable String flush() {
    if (partial.isEmpty()) {
      return null;
    }
    return append("\n");
  }
}
