package io.github.pb4j.buildbot.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Python's {@code glob.glob(pattern, recursive=True)}: {@code *}, {@code ?}, {@code [...]} within
 * a name, {@code **} across directories, names starting with a dot only matched by patterns that
 * start with one, results in directory order. <em>Stateless.</em>
 */
final class Glob {
  private static final Pattern MAGIC = Pattern.compile("[*?\\[]");

  private Glob() {}

  static List<String> glob(String pathname) {
    List<String> out = new ArrayList<>();
    iglob(pathname, false, out);
    if (pathname.startsWith("**") && !out.isEmpty() && out.get(0).isEmpty()) {
      out.remove(0);
    }
    return out;
  }

  private static boolean hasMagic(String s) {
    return MAGIC.matcher(s).find();
  }

  private static String[] split(String p) {
    int i = p.lastIndexOf('/') + 1;
    String head = p.substring(0, i);
    String tail = p.substring(i);
    if (!head.isEmpty() && !head.chars().allMatch(c -> c == '/')) {
      head = head.replaceAll("/+$", "");
    }
    return new String[] {head, tail};
  }

  private static void iglob(String pathname, boolean dironly, List<String> out) {
    String[] parts = split(pathname);
    String dirname = parts[0];
    String basename = parts[1];
    if (!hasMagic(pathname)) {
      if (!basename.isEmpty()) {
        if (Files.exists(Path.of(pathname), LinkOption.NOFOLLOW_LINKS)) {
          out.add(pathname);
        }
      } else if (Files.isDirectory(Path.of(dirname))) {
        out.add(pathname);
      }
      return;
    }
    if (dirname.isEmpty()) {
      inDir("", basename, dironly, out);
      return;
    }
    List<String> dirs = new ArrayList<>();
    if (!dirname.equals(pathname) && hasMagic(dirname)) {
      iglob(dirname, true, dirs);
    } else {
      dirs.add(dirname);
    }
    for (String dir : dirs) {
      List<String> names = new ArrayList<>();
      inDir(dir, basename, dironly, names);
      for (String name : names) {
        out.add(Py.join(dir, name));
      }
    }
  }

  private static void inDir(String dirname, String basename, boolean dironly, List<String> out) {
    if (hasMagic(basename)) {
      if (basename.equals("**")) {
        out.add("");
        rlistdir(dirname, dironly, out);
      } else {
        Pattern p = translate(basename);
        boolean hidden = basename.startsWith(".");
        for (String name : listdir(dirname, dironly)) {
          if ((hidden || !name.startsWith(".")) && p.matcher(name).matches()) {
            out.add(name);
          }
        }
      }
    } else if (!basename.isEmpty()) {
      if (Files.exists(Path.of(Py.join(dirname.isEmpty() ? "." : dirname, basename)), LinkOption.NOFOLLOW_LINKS)) {
        out.add(basename);
      }
    } else if (Files.isDirectory(Path.of(dirname))) {
      out.add(basename);
    }
  }

  private static void rlistdir(String dirname, boolean dironly, List<String> out) {
    for (String x : listdir(dirname, dironly)) {
      if (!x.startsWith(".")) {
        out.add(x);
        String path = dirname.isEmpty() ? x : Py.join(dirname, x);
        List<String> sub = new ArrayList<>();
        rlistdir(path, dironly, sub);
        for (String y : sub) {
          out.add(Py.join(x, y));
        }
      }
    }
  }

  private static List<String> listdir(String dirname, boolean dironly) {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of(dirname.isEmpty() ? "." : dirname))) {
      for (Path p : dir) {
        if (!dironly || Files.isDirectory(p)) {
          names.add(p.getFileName().toString());
        }
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return names;
  }

  /** {@code fnmatch.translate}. */
  static Pattern translate(String pat) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    int n = pat.length();
    while (i < n) {
      char c = pat.charAt(i++);
      if (c == '*') {
        if (re.length() < 2 || !re.substring(re.length() - 2).equals(".*")) {
          re.append(".*");
        }
      } else if (c == '?') {
        re.append('.');
      } else if (c == '[') {
        int j = i;
        if (j < n && pat.charAt(j) == '!') {
          j++;
        }
        if (j < n && pat.charAt(j) == ']') {
          j++;
        }
        while (j < n && pat.charAt(j) != ']') {
          j++;
        }
        if (j >= n) {
          re.append("\\[");
        } else {
          String stuff = pat.substring(i, j).replace("\\", "\\\\").replace("[", "\\[").replace("&&", "\\&\\&");
          i = j + 1;
          if (stuff.startsWith("!")) {
            stuff = "^" + stuff.substring(1);
          } else if (stuff.startsWith("^")) {
            stuff = "\\" + stuff;
          }
          re.append('[').append(stuff).append(']');
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
