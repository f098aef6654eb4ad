package io.github.pb4j.buildbot.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** File modes: Unix mode bits as permission sets, and the worker's umask for what it creates. */
final class Modes {
  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
  };

  private Modes() {}

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < BITS.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(BITS[i]);
      }
    }
    return set;
  }

  /** Sets {@code path}'s mode (the permission bits only; Java cannot set setuid/setgid/sticky). */
  static void chmod(Path path, int mode) throws IOException {
    Files.setPosixFilePermissions(path, permissions(mode));
  }

  /** Creates a directory and its parents; with a umask, new ones get {@code 0777 & ~umask}. */
  static void createDirectories(Path dir, @Nullable Integer umask) throws IOException {
    if (umask == null) {
      Files.createDirectories(dir);
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      createDirectories(parent, umask);
    }
    if (!Files.isDirectory(dir)) {
      Files.createDirectory(dir);
      chmod(dir, 0777 & ~umask);
    }
  }

  /** Applies the umask to a file the worker just created. */
  static void created(Path file, @Nullable Integer umask) throws IOException {
    if (umask != null) {
      chmod(file, 0666 & ~umask);
    }
  }
}
