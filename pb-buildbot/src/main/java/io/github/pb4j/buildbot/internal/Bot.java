package io.github.pb4j.buildbot.internal;

import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.jelly.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's mind, handed to the master at login (Python's {@code Bot}): the master asks it who
 * the worker is and which builders it serves. Builders outlive connections: a master that
 * reconnects gets the same ones. <em>Thread-safe.</em>
 */
public final class Bot implements Referenceable {
  private static final Logger logger = LoggerFactory.getLogger(Bot.class);

  /** The worker version reported to the master. */
  public static final String VERSION = "3.7.0";

  private final WorkerRuntime runtime;
  private final Path osRelease;
  private final Map<String, WorkerForBuilder> builders = new ConcurrentHashMap<>();

  public Bot(WorkerRuntime runtime) {
    this(runtime, Path.of("/etc/os-release"));
  }

  Bot(WorkerRuntime runtime, Path osRelease) {
    this.runtime = runtime;
    this.osRelease = osRelease;
  }

  @Remote
  public void print(@Nullable Object message) {
    logger.info("message from master: {}", Py.text(message));
  }

  @Remote
  public Map<String, String> getCommands() {
    return Commands.versions();
  }

  @Remote
  public String getVersion() {
    return VERSION;
  }

  /** The files of {@code BASEDIR/info}, the OS release, environment, and the worker's facts. */
  @Remote
  public Map<String, Object> getWorkerInfo() {
    Map<String, Object> files = new LinkedHashMap<>();
    Path info = Path.of(runtime.basedir(), "info");
    if (Files.isDirectory(info)) {
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(info)) {
        for (Path f : dir) {
          if (Files.isRegularFile(f)) {
            files.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
          }
        }
      } catch (IOException e) {
        logger.warn("cannot read {}: {}", info, e.toString());
      }
    }
    readOsRelease(osRelease, files);
    files.put("environ", new LinkedHashMap<>(runtime.environment()));
    files.put("system", "posix");
    files.put("basedir", runtime.basedir());
    files.put("numcpus", runtime.numcpus());
    files.put("version", getVersion());
    files.put("worker_commands", getCommands());
    files.put("delete_leftover_dirs", runtime.deleteLeftoverDirs());
    return files;
  }

  static void readOsRelease(Path file, Map<String, Object> props) {
    if (!Files.exists(file)) {
      return;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int eq = line.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String value = line.substring(eq + 1);
        if (!value.isEmpty()) {
          props.put("os_" + line.substring(0, eq).toLowerCase(java.util.Locale.ROOT), stripQuotes(value));
        }
      }
    } catch (IOException e) {
      logger.debug("cannot read {}: {}", file, e.toString());
    }
  }

  private static String stripQuotes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '"') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '"') {
      end--;
    }
    return s.substring(start, end);
  }

  /**
   * Makes the builders the master wants (each a {@code (name, builddir)} pair), creating their
   * directories; drops the others. Answers {@code {name: builder}}.
   */
  @Remote
  public synchronized Map<String, WorkerForBuilder> setBuilderList(List<?> wanted) throws IOException {
    Map<String, WorkerForBuilder> result = new LinkedHashMap<>();
    Set<String> wantedNames = new HashSet<>();
    Set<String> wantedDirs = new HashSet<>(List.of("info"));
    for (Object pair : wanted) {
      List<?> p = pair instanceof Tuple t ? t.asList() : (List<?>) pair;
      String name = Py.text(p.get(0));
      String builddir = Py.text(p.get(1));
      wantedNames.add(name);
      wantedDirs.add(builddir);
      WorkerForBuilder b = builders.get(name);
      if (b != null) {
        if (!b.builddir().equals(builddir)) {
          logger.info("changing builddir for builder {} from {} to {}", name, b.builddir(), builddir);
          b.setBuilddir(builddir);
        }
      } else {
        b = new WorkerForBuilder(name, runtime);
        b.setBuilddir(builddir);
        builders.put(name, b);
      }
      result.put(name, b);
    }
    for (String name : new ArrayList<>(builders.keySet())) {
      if (!wantedNames.contains(name)) {
        builders.remove(name).stop();
      }
    }
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of(runtime.basedir()))) {
      for (Path d : dir) {
        String name = d.getFileName().toString();
        if (Files.isDirectory(d) && !wantedDirs.contains(name)) {
          if (runtime.deleteLeftoverDirs()) {
            logger.info("Deleting directory '{}' that is not being used by the buildmaster", name);
            deleteTree(d);
          } else {
            logger.info("I have a leftover directory '{}' that is not being used by the buildmaster: "
                + "you can delete it now", name);
          }
        }
      }
    }
    return result;
  }

  private static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      logger.info("Cannot remove directory '{}': {}", dir.getFileName(), e.toString());
    }
  }

  /** The master asks the worker to stop. */
  @Remote
  public void shutdown() {
    logger.info("worker shutting down on command from master");
    runtime.requestShutdown();
  }

  /** Interrupts every running command and waits (bounded) for each to end. */
  public void interruptAll(long millis) {
    for (WorkerForBuilder b : builders.values()) {
      b.interruptAndWait(millis);
    }
  }

  /** Stops every builder's command at once (the connection is gone). */
  public void stopAll() {
    builders.values().forEach(WorkerForBuilder::stopCommand);
  }
}
