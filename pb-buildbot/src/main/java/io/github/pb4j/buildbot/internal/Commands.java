package io.github.pb4j.buildbot.internal;

import io.github.pb4j.PbApplicationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The worker's commands by the names masters use, and how a command's arguments become paths
 * under the builder's directory (Python's {@code protocol_args_setup}). <em>Immutable.</em>
 */
public final class Commands {
  /** The version every command reports ({@code buildbot_worker.commands.base.command_version}). */
  public static final String COMMAND_VERSION = "3.1";

  /** Python's {@code UnknownCommand} type, as the master sees it. */
  public static final String UNKNOWN_COMMAND = "buildbot_worker.base.UnknownCommand";

  private static final Map<String, BiFunction<CommandContext, Map<String, @Nullable Object>, WorkerCommand>> REGISTRY =
      new LinkedHashMap<>();

  static {
    REGISTRY.put("shell", ShellCommand::new);
    REGISTRY.put("uploadFile", TransferCommands.UploadFile::new);
    REGISTRY.put("upload_file", TransferCommands.UploadFile::new);
    REGISTRY.put("uploadDirectory", TransferCommands.UploadDirectory::new);
    REGISTRY.put("upload_directory", TransferCommands.UploadDirectory::new);
    REGISTRY.put("downloadFile", TransferCommands.DownloadFile::new);
    REGISTRY.put("download_file", TransferCommands.DownloadFile::new);
    REGISTRY.put("mkdir", FileCommands.MakeDirectory::new);
    REGISTRY.put("rmdir", FileCommands.RemoveDirectory::new);
    REGISTRY.put("cpdir", FileCommands.CopyDirectory::new);
    REGISTRY.put("stat", FileCommands.StatFile::new);
    REGISTRY.put("glob", FileCommands.GlobPath::new);
    REGISTRY.put("listdir", FileCommands.ListDir::new);
    REGISTRY.put("rmfile", FileCommands.RemoveFile::new);
  }

  private Commands() {}

  /** Command name to version, as {@code getCommands} answers. */
  public static Map<String, String> versions() {
    Map<String, String> result = new LinkedHashMap<>();
    REGISTRY.keySet().forEach(name -> result.put(name, COMMAND_VERSION));
    return result;
  }

  /**
   * Makes the command; fails as the Python worker does: {@code UnknownCommand} for a name it does
   * not know, {@code KeyError} or {@code ValueError} for missing arguments.
   */
  static WorkerCommand create(String name, String builderBasedir, CommandContext ctx, Map<String, @Nullable Object> args) {
    setupArgs(name, builderBasedir, args);
    var factory = REGISTRY.get(name);
    if (factory == null) {
      throw new PbApplicationException(UNKNOWN_COMMAND, "unrecognized WorkerCommand '" + name + "'");
    }
    try {
      return factory.apply(ctx, args);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new PbApplicationException("builtins.ValueError", String.valueOf(e.getMessage()));
    }
  }

  private static String arg(Map<String, @Nullable Object> args, String key) {
    if (!args.containsKey(key)) {
      throw new PbApplicationException("builtins.KeyError", "'" + key + "'");
    }
    return String.valueOf(Py.text(args.get(key)));
  }

  private static String take(Map<String, @Nullable Object> args, String key) {
    String v = arg(args, key);
    args.remove(key);
    return v;
  }

  static void setupArgs(String command, String basedir, Map<String, @Nullable Object> args) {
    switch (command) {
      case "mkdir" -> args.put("paths", List.of(Py.join(basedir, take(args, "dir"))));
      case "rmdir" -> {
        Object dir = args.get("dir");
        if (!args.containsKey("dir")) {
          throw new PbApplicationException("builtins.KeyError", "'dir'");
        }
        args.remove("dir");
        args.put("paths", dir instanceof List<?> dirs
            ? dirs.stream().map(d -> (Object) Py.join(basedir, Py.text(d))).toList()
            : List.of(Py.join(basedir, Py.text(dir))));
      }
      case "cpdir" -> {
        args.put("from_path", Py.join(basedir, take(args, "fromdir")));
        args.put("to_path", Py.join(basedir, take(args, "todir")));
      }
      case "stat" -> {
        String workdir = args.containsKey("workdir") ? Py.text(args.get("workdir")) : "";
        args.put("path", Py.join(basedir, workdir, take(args, "file")));
      }
      case "glob", "rmfile" -> args.put("path", Py.join(basedir, arg(args, "path")));
      case "listdir" -> args.put("path", Py.join(basedir, take(args, "dir")));
      case "shell" -> args.put("workdir", Py.join(basedir, arg(args, "workdir")));
      case "uploadFile", "uploadDirectory" -> {
        String workdir = take(args, "workdir");
        args.put("path", Py.join(basedir, workdir, Py.expandUser(take(args, "workersrc"))));
      }
      case "downloadFile" -> {
        String workdir = take(args, "workdir");
        args.put("path", Py.join(basedir, workdir, Py.expandUser(take(args, "workerdest"))));
      }
      default -> {
        // Other names (and the snake_case aliases) take their arguments as they are.
      }
    }
  }
}
