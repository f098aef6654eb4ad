package io.github.pb4j.buildbot.internal;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.Tuple;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Python's view of values and paths, as the Python worker computes them: {@code decode} of
 * arguments, {@code os.path.join}, {@code str()} of numbers, {@code pipes.quote}, and {@code
 * OSError}'s errno and strerror. <em>Stateless.</em>
 */
public final class Py {
  private Py() {}

  /** Python's buildbot {@code decode}: bytes become text (UTF-8), recursively in containers. */
  public static @Nullable Object decode(@Nullable Object value) {
    if (value instanceof ByteString b) {
      return b.toStringUtf8();
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, @Nullable Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(decode(k), decode(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<@Nullable Object> out = new ArrayList<>(l.size());
      l.forEach(v -> out.add(decode(v)));
      return out;
    }
    if (value instanceof Tuple t) {
      List<@Nullable Object> out = new ArrayList<>(t.size());
      t.forEach(v -> out.add(decode(v)));
      return Tuple.copyOf(out);
    }
    return value;
  }

  /** Text of a str or bytes value; {@code null} stays null. */
  public static @Nullable String text(@Nullable Object value) {
    Object d = decode(value);
    return d == null ? null : d instanceof String s ? s : String.valueOf(d);
  }

  /** Python's truth value of the common argument types. */
  public static boolean truthy(@Nullable Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (value instanceof String s) {
      return !s.isEmpty();
    }
    if (value instanceof java.util.Collection<?> c) {
      return !c.isEmpty();
    }
    if (value instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    if (value instanceof Tuple t) {
      return !t.isEmpty();
    }
    return true;
  }

  /** {@code posixpath.join}: an absolute part restarts the path; no normalisation. */
  public static String join(String first, String... rest) {
    StringBuilder path = new StringBuilder(first);
    for (String part : rest) {
      if (part.startsWith("/")) {
        path.setLength(0);
        path.append(part);
      } else if (path.length() == 0 || path.charAt(path.length() - 1) == '/') {
        path.append(part);
      } else {
        path.append('/').append(part);
      }
    }
    return path.toString();
  }

  /** {@code os.path.expanduser} for the forms a master sends: {@code ~} and {@code ~/x}. */
  public static String expandUser(String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      String home = System.getenv("HOME");
      if (home == null) {
        home = System.getProperty("user.home");
      }
      return home + path.substring(1);
    }
    return path;
  }

  /** Python's {@code str()} of a number: ints without a decimal point, floats with repr. */
  public static String str(@Nullable Object value) {
    if (value instanceof Double d) {
      if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e16) {
        return String.format(Locale.ROOT, "%.1f", d);
      }
      return Double.toString(d);
    }
    return String.valueOf(value);
  }

  /** A number argument as seconds, or null. */
  public static @Nullable Double seconds(@Nullable Object value) {
    return value instanceof Number n ? n.doubleValue() : null;
  }

  private static final Pattern UNSAFE = Pattern.compile("[^\\w@%+=:,./-]");

  /** {@code shlex.quote}, with the worker's {@code ""} for empty words. */
  public static String quote(String word) {
    if (word.isEmpty()) {
      return "\"\"";
    }
    if (!UNSAFE.matcher(word).find()) {
      return word;
    }
    return "'" + word.replace("'", "'\"'\"'") + "'";
  }

  /** An {@code OSError}'s errno and strerror for a Java I/O failure. */
  public record OsError(int errno, String strerror) {}

  /** Maps a Java I/O failure to the errno and strerror Python would report. */
  public static OsError osError(IOException e) {
    if (e instanceof NoSuchFileException) {
      return new OsError(2, "No such file or directory");
    }
    if (e instanceof AccessDeniedException) {
      return new OsError(13, "Permission denied");
    }
    if (e instanceof FileAlreadyExistsException) {
      return new OsError(17, "File exists");
    }
    if (e instanceof NotDirectoryException) {
      return new OsError(20, "Not a directory");
    }
    if (e instanceof DirectoryNotEmptyException) {
      return new OsError(39, "Directory not empty");
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      String reason = f.getReason();
      return switch (reason) {
        case "Is a directory" -> new OsError(21, reason);
        case "Not a directory" -> new OsError(20, reason);
        case "No such file or directory" -> new OsError(2, reason);
        case "Permission denied" -> new OsError(13, reason);
        case "Operation not permitted" -> new OsError(1, reason);
        case "Read-only file system" -> new OsError(30, reason);
        case "No space left on device" -> new OsError(28, reason);
        default -> new OsError(5, reason);
      };
    }
    return new OsError(5, "Input/output error");
  }
}
