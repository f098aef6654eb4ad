package io.github.pb4j.buildbot.internal;

import io.github.pb4j.RemoteReference;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/** The transfer commands: {@code uploadFile}, {@code uploadDirectory}, {@code downloadFile}. */
final class TransferCommands {
  private TransferCommands() {}

  static @Nullable Object await(CompletableFuture<@Nullable Object> call) throws Exception {
    try {
      return call.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  /** What every transfer ends with: {@code rc}, then {@code stderr} if there is a complaint. */
  abstract static class Transfer extends WorkerCommand {
    int rc;
    @Nullable String stderr;

    Transfer(CommandContext ctx, Map<String, @Nullable Object> args, List<String> required) {
      super(ctx, args, required);
    }

    void finished() {
      // Not sendStatus: an interrupted transfer still reports (as in Python).
      ctx.channel().send("rc", rc);
      if (stderr != null) {
        ctx.channel().send("stderr", stderr);
      }
    }

    @Override
    protected void interrupt() {
      if (!interrupted) {
        rc = 1;
        interrupted = true;
      }
    }

    static @Nullable Long maxsize(@Nullable Object v) {
      return v instanceof Number n ? n.longValue() : null;
    }
  }

  /** {@code uploadFile}: sends a file to the master's writer in blocks. */
  static class UploadFile extends Transfer {
    final String path;
    final RemoteReference writer;
    @Nullable Long remaining;
    final int blocksize;

    UploadFile(CommandContext ctx, Map<String, @Nullable Object> args) {
      super(ctx, args, List.of("path", "writer", "blocksize"));
      path = requireText("path");
      writer = (RemoteReference) args.get("writer");
      remaining = maxsize(args.get("maxsize"));
      blocksize = ((Number) args.get("blocksize")).intValue();
    }

    @Override
    protected void start() throws Exception {
      boolean keepstamp = Py.truthy(args.get("keepstamp"));
      Double atime = null;
      Double mtime = null;
      InputStream in = null;
      try {
        if (keepstamp) {
          BasicFileAttributes a = Files.readAttributes(Path.of(path), BasicFileAttributes.class);
          atime = a.lastAccessTime().toMillis() / 1000.0;
          mtime = a.lastModifiedTime().toMillis() / 1000.0;
        }
        in = Files.newInputStream(Path.of(path));
      } catch (IOException e) {
        in = null;
        stderr = "Cannot open file '" + path + "' for upload";
        rc = 1;
      }
      sendStatus("header", "sending " + path + "\n");
      try {
        try {
          send(in, "write");
        } finally {
          if (in != null) {
            in.close();
          }
        }
        await(writer.callRemote("close"));
        if (keepstamp) {
          await(writer.callRemote("utime", Tuple.of(atime, mtime)));
        }
      } catch (Exception e) {
        rc = 1;
        try {
          await(writer.callRemote("close"));
        } catch (Exception ignored) {
          // Python logs and keeps the first failure.
        }
        finished();
        throw e;
      }
      finished();
    }

    /** Sends blocks until the end, the size limit, or an interrupt. */
    void send(@Nullable InputStream in, String method) throws Exception {
      byte[] buf = new byte[blocksize];
      while (!interrupted && in != null) {
        int length = blocksize;
        if (remaining != null && length > remaining) {
          length = (int) (long) remaining;
        }
        if (length <= 0) {
          if (stderr == null) {
            stderr = "Maximum filesize reached, truncating file '" + path + "'";
            rc = 1;
          }
          return;
        }
        int n = in.readNBytes(buf, 0, length);
        if (n <= 0) {
          return;
        }
        if (remaining != null) {
          remaining -= n;
        }
        await(writer.callRemote(method, ByteString.of(buf, 0, n)));
      }
    }
  }

  /** {@code uploadDirectory}: a tar archive (optionally gz or bz2) of a directory, then {@code unpack}. */
  static final class UploadDirectory extends UploadFile {
    UploadDirectory(CommandContext ctx, Map<String, @Nullable Object> args) {
      super(ctx, args);
    }

    @Override
    protected void start() throws Exception {
      String compress = text("compress", null);
      Path tar = Files.createTempFile("buildbot-transfer-", "");
      try {
        List<String> command = new ArrayList<>(List.of("tar", "-c", "-f", tar.toString()));
        if ("gz".equals(compress)) {
          command.add("-z");
        } else if ("bz2".equals(compress)) {
          command.add("-j");
        }
        command.addAll(List.of("-C", path, "."));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
          throw new IOException("cannot archive " + path + ": " + out.strip());
        }
        sendStatus("header", "sending " + path + "\n");
        try (InputStream in = Files.newInputStream(tar)) {
          send(in, "write");
          try {
            await(writer.callRemote("unpack"));
          } catch (Exception e) {
            rc = 1;
            throw e;
          }
        } finally {
          finished();
        }
      } finally {
        Files.deleteIfExists(tar);
      }
    }
  }

  /** {@code downloadFile}: reads a file from the master's reader in blocks. */
  static final class DownloadFile extends Transfer {
    DownloadFile(CommandContext ctx, Map<String, @Nullable Object> args) {
      super(ctx, args, List.of("path", "reader", "blocksize"));
    }

    @Override
    protected void start() throws Exception {
      String path = requireText("path");
      RemoteReference reader = (RemoteReference) args.get("reader");
      Long remaining = maxsize(args.get("maxsize"));
      int blocksize = ((Number) args.get("blocksize")).intValue();
      Object mode = args.get("mode");
      Path file = Path.of(path);
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null && !Files.exists(dir)) {
        Modes.createDirectories(dir, ctx.umask());
      }
      OutputStream out = null;
      try {
        boolean existed = Files.exists(file);
        out = Files.newOutputStream(file);
        if (!existed) {
          Modes.created(file, ctx.umask());
        }
        if (mode instanceof Number m) {
          Modes.chmod(file, m.intValue());
        }
      } catch (IOException e) {
        if (out != null) {
          out.close();
        }
        out = null;
        stderr = "Cannot open file '" + path + "' for download";
        rc = 1;
      }
      Exception failure = null;
      try {
        while (!interrupted && out != null) {
          int length = blocksize;
          if (remaining != null && length > remaining) {
            length = (int) (long) remaining;
          }
          if (length <= 0) {
            if (stderr == null) {
              stderr = "Maximum filesize reached, truncating file '" + path + "'";
              rc = 1;
            }
            break;
          }
          Object data = await(reader.callRemote("read", length));
          byte[] bytes = data instanceof ByteString b ? b.toByteArray()
              : data == null ? new byte[0] : Py.text(data).getBytes(java.nio.charset.StandardCharsets.UTF_8);
          if (bytes.length == 0) {
            break;
          }
          if (remaining != null) {
            remaining -= bytes.length;
          }
          out.write(bytes);
        }
      } catch (Exception e) {
        failure = e;
      }
      try {
        await(reader.callRemote("close"));
      } catch (Exception e) {
        // Python logs it and keeps going.
      }
      if (out != null) {
        out.close();
      }
      finished();
      if (failure != null) {
        throw failure;
      }
    }
  }
}
