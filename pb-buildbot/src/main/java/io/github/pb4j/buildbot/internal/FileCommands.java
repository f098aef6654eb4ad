package io.github.pb4j.buildbot.internal;

import io.github.pb4j.jelly.Tuple;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The file-system commands: {@code mkdir}, {@code rmdir}, {@code cpdir}, {@code stat}, {@code glob}, {@code listdir}, {@code rmfile}. */
final class FileCommands {
  private FileCommands() {}

  /** Sends Python's {@code OSError} report: {@code "header: strerror: path"} and {@code rc = errno}. */
  static void osError(WorkerCommand c, String header, IOException e, String path) {
    Py.OsError err = Py.osError(e);
    c.sendStatus("header", header + ": " + err.strerror() + ": " + path);
    c.sendStatus("rc", err.errno());
  }

  /** {@code mkdir}: creates each of {@code paths} with its parents. */
  static final class MakeDirectory extends WorkerCommand {
    MakeDirectory(CommandContext ctx, Map<String, @Nullable Object> args) {
      super(ctx, args, List.of("paths"));
    }

    @Override
    protected void start() {
      for (Object dir : (List<?>) args.get("paths")) {
        String name = Py.text(dir);
        try {
          if (!Files.isDirectory(Path.of(name))) {
            Modes.createDirectories(Path.of(name), ctx.umask());
          }
        } catch (IOException e) {
          osError(this, "mkdir", e, name);
          return;
        }
      }
      sendStatus("rc", 0);
    }
  }

  /** {@code rmdir}: {@code rm -rf} each path, with a {@code chmod -Rf u+rwx} retry. */
  static final class RemoveDirectory extends WorkerCommand {
    private volatile @Nullable RunProcess current;

    RemoveDirectory(CommandContext ctx, Map<String, @Nullable Object> args) {
      super(ctx, args, List.of("paths"));
    }

    @Override
    protected void start() throws Exception {
      int rc = 0;
      for (Object path : (List<?>) args.get("paths")) {
        int res = run(List.of("rm", "-rf", Py.text(path)));
        if (res != 0 && !interrupted) {
          run(List.of("chmod", "-Rf", "u+rwx", Py.text(path)));
          res = run(List.of("rm", "-rf", Py.text(path)));
        }
        if (res != 0) {
          rc = res;
        }
      }
      sendStatus("rc", rc);
    }

    private int run(List<String> argv) throws Exception {
      RunProcess p = new RunProcess(ctx, new ArrayList<Object>(argv), ctx.workerBasedir(), null, true, true, false,
          args.getOrDefault("timeout", 120), args.get("maxTime"), null, null,
          Py.truthy(args.getOrDefault("logEnviron", true)), null);
      current = p;
      if (interrupted) {
        return -1;
      }
      return p.run();
    }

    @Override
    protected void interrupt() {
      interrupted = true;
      RunProcess p = current;
      if (p != null) {
        p.kill("command interrupted");
      }
    }
  }

  /** {@code cpdir}: {@code cp -R -P -p -v from to}. */
  static final class CopyDirectory extends WorkerCommand {
    private volatile @Nullable RunProcess current;

    CopyDirectory(CommandContext ctx, Map<String, @Nullable Object> args) {
      super(ctx, args, List.of("to_path", "from_path"));
    }

    @Override
    protected void start() throws Exception {
      String from = requireText("from_path");
      String to = requireText("to_path");
      Path parent = Path.of(to).getParent();
      if (parent != null && !Files.exists(parent)) {
        Modes.createDirectories(parent, ctx.umask());
      }
      RunProcess p = new RunProcess(ctx, new ArrayList<Object>(List.of("cp", "-R", "-P", "-p", "-v", from, to)),
          ctx.workerBasedir(), null, true, true, false, args.getOrDefault("timeout", 120),
          args.get("maxTime"), null, null, Py.truthy(args.getOrDefault("logEnviron", true)), null);
      current = p;
      int rc = p.run();
      sendStatus("rc", rc);
    }

    @Override
    protected void interrupt() {
      interrupted = true;
      RunProcess p = current;
      if (p != null) {
        p.kill("command interrupted");
      }
    }
  }

  /** {@code stat}: Python's {@code tuple(os.stat(path))}. */
  static final class StatFile extends WorkerCommand {
    StatFile(CommandContext ctx, Map<String, @Nullable Object> args) {
      super(ctx, args, List.of());
    }

    @Override
    protected void start() {
      String name = requireText("path");
      try {
        Map<String, Object> a = Files.readAttributes(Path.of(name), "unix:*");
        sendStatus("stat", Tuple.of(
            a.get("mode"), ((Number) a.get("ino")).longValue(), ((Number) a.get("dev")).longValue(),
            a.get("nlink"), a.get("uid"), a.get("gid"), ((Number) a.get("size")).longValue(),
            seconds(a.get("lastAccessTime")), seconds(a.get("lastModifiedTime")), seconds(a.get("ctime"))));
        sendStatus("rc", 0);
      } catch (IOException e) {
        osError(this, "stat", e, name);
      }
    }

    private static long seconds(Object time) {
      return Math.floorDiv(((FileTime) time).toMillis(), 1000);
    }
  }

  /** {@code glob}: Python's {@code glob.glob(path, recursive=True)}. */
  static final class GlobPath extends WorkerCommand {
    GlobPath(CommandContext ctx, Map<String, @Nullable Object> args) {
      super(ctx, args, List.of("path"));
    }

    @Override
    protected void start() {
      sendStatus("files", Glob.glob(requireText("path")));
      sendStatus("rc", 0);
    }
  }

  /** {@code listdir}: the names in a directory, in the directory's order. */
  static final class ListDir extends WorkerCommand {
    ListDir(CommandContext ctx, Map<String, @Nullable Object> args) {
      super(ctx, args, List.of());
    }

    @Override
    protected void start() {
      String name = requireText("path");
      List<String> files = new ArrayList<>();
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of(name))) {
        dir.forEach(p -> files.add(p.getFileName().toString()));
      } catch (IOException e) {
        osError(this, "listdir", e, name);
        return;
      }
      sendStatus("files", files);
      sendStatus("rc", 0);
    }
  }

  /** {@code rmfile}: removes one file (not a directory). */
  static final class RemoveFile extends WorkerCommand {
    RemoveFile(CommandContext ctx, Map<String, @Nullable Object> args) {
      super(ctx, args, List.of("path"));
    }

    @Override
    protected void start() {
      String name = requireText("path");
      Path path = Path.of(name);
      try {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          throw new FileSystemException(name, null, "Is a directory");
        }
        Files.delete(path);
        sendStatus("rc", 0);
      } catch (IOException e) {
        osError(this, "rmfile", e, name);
      }
    }
  }
}
