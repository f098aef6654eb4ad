package io.github.pb4j.buildbot.internal;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.PythonRepr;
import io.github.pb4j.jelly.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one program for a command, as the Python worker's {@code RunProcess} does: the same
 * headers, environment rules, timeouts ({@code timeout} without output, {@code maxTime}), kill
 * sequence ({@code sigtermTime}, {@code interruptSignal}, the whole process group), log files,
 * {@code rc} and elapsed time. {@link #run} blocks until the program has ended and its output
 * has been read. <em>Thread-safe</em> ({@link #kill} from any thread).
 */
final class RunProcess {
  private static final Logger logger = LoggerFactory.getLogger(RunProcess.class);
  private static final long BACKUP_TIMEOUT_MS = 5000;
  private static final Pattern VAR = Pattern.compile("\\$\\{([0-9a-zA-Z_]*)\\}");
  private static final @Nullable String SETSID = executable("/usr/bin/setsid", "/bin/setsid");
  private static final String KILL = java.util.Objects.requireNonNullElse(executable("/bin/kill", "/usr/bin/kill"), "kill");

  private final CommandContext ctx;
  private final List<String> argv;
  private final Object fakeCommand; // bytes or list of bytes, for display as Python shows it
  private final String display;
  private final String workdir;
  private final Map<String, String> environ;
  private final boolean sendStdout;
  private final boolean sendStderr;
  private final boolean sendRC;
  private final @Nullable Object timeout;
  private final @Nullable Object maxTime;
  private final @Nullable Double sigtermTime;
  private final byte @Nullable [] initialStdin;
  private final boolean logEnviron;
  private final Map<String, @Nullable Object> logfiles;
  private final List<LogFileWatcher> watchers = new ArrayList<>();
  String interruptSignal = "KILL";

  private final Object lock = new Object();
  private @Nullable Process process;
  private @Nullable Long pgid; // Cleared once the group was signalled, as Python does.
  private boolean killed;
  private boolean finished;
  private @Nullable ScheduledFuture<?> ioTimer;
  private @Nullable ScheduledFuture<?> maxTimer;
  private @Nullable ScheduledFuture<?> sigtermTimer;
  private @Nullable String backupFailure;
  private final StringBuilder keptStdout = new StringBuilder();
  private boolean keepStdout;

  RunProcess(CommandContext ctx, Object command, String workdir, @Nullable Map<?, ?> env,
      boolean sendStdout, boolean sendStderr, boolean sendRC, @Nullable Object timeout,
      @Nullable Object maxTime, @Nullable Object sigtermTime, @Nullable Object initialStdin,
      boolean logEnviron, @Nullable Map<?, ?> logfiles) throws IOException {
    this.ctx = ctx;
    this.workdir = workdir;
    this.sendStdout = sendStdout;
    this.sendStderr = sendStderr;
    this.sendRC = sendRC;
    this.timeout = Py.truthy(timeout) ? timeout : null;
    this.maxTime = Py.truthy(maxTime) ? maxTime : null;
    this.sigtermTime = Py.seconds(sigtermTime);
    this.initialStdin = initialStdin == null ? null
        : initialStdin instanceof ByteString b ? b.toByteArray()
        : Py.text(initialStdin).getBytes(StandardCharsets.UTF_8);
    this.logEnviron = logEnviron;
    this.logfiles = new LinkedHashMap<>();
    if (logfiles != null) {
      logfiles.forEach((k, v) -> this.logfiles.put(Py.text(k), v));
    }
    if (command instanceof List<?> words) {
      List<String> real = new ArrayList<>();
      List<Object> fake = new ArrayList<>();
      List<String> fakeText = new ArrayList<>();
      for (Object w : words) {
        if (w instanceof Tuple t && t.size() == 3 && "obfuscated".equals(Py.text(t.get(0)))) {
          real.add(Py.text(t.get(1)));
          fakeText.add(Py.text(t.get(2)));
        } else {
          real.add(Py.text(w));
          fakeText.add(Py.text(w));
        }
        fake.add(ByteString.utf8(fakeText.get(fakeText.size() - 1)));
      }
      this.argv = real;
      this.fakeCommand = fake;
      this.display = String.join(" ", fakeText.stream().map(Py::quote).toList());
    } else {
      String text = Py.text(command);
      this.argv = List.of("/bin/sh", "-c", text);
      this.fakeCommand = ByteString.utf8(text);
      this.display = text;
    }
    this.environ = environment(ctx.environment(), env);
    Path dir = Path.of(workdir);
    if (!Files.exists(dir)) {
      Files.createDirectories(dir);
    }
    for (Map.Entry<String, @Nullable Object> e : this.logfiles.entrySet()) {
      Object value = e.getValue();
      String filename;
      boolean follow = false;
      if (value instanceof Map<?, ?> options) {
        filename = Py.text(options.get("filename"));
        follow = Py.truthy(options.get("follow"));
      } else {
        filename = Py.text(value);
      }
      watchers.add(new LogFileWatcher(this::addLogfile, e.getKey(), Path.of(Py.join(workdir, filename)), follow));
    }
  }

  /** The environment the program gets: Python's rules for {@code env}. */
  static Map<String, String> environment(Map<String, String> worker, @Nullable Map<?, ?> env) {
    Map<String, String> result = new LinkedHashMap<>();
    if (env == null || env.isEmpty()) {
      result.putAll(worker);
      return result;
    }
    Map<String, @Nullable Object> wanted = new LinkedHashMap<>();
    env.forEach((k, v) -> wanted.put(Py.text(k), Py.decode(v)));
    wanted.replaceAll((k, v) -> v instanceof List<?> l
        ? String.join(":", l.stream().map(Py::text).toList()) : v);
    if (wanted.containsKey("PYTHONPATH") && wanted.get("PYTHONPATH") != null) {
      wanted.put("PYTHONPATH", wanted.get("PYTHONPATH") + ":${PYTHONPATH}");
    }
    worker.forEach((k, v) -> {
      if (!wanted.containsKey(k) || wanted.get(k) != null) {
        result.put(k, v);
      }
    });
    for (Map.Entry<String, @Nullable Object> e : wanted.entrySet()) {
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      if (!(v instanceof String s)) {
        throw new IllegalArgumentException(
            "'env' values must be strings or lists; key '" + e.getKey() + "' is incorrect");
      }
      Matcher m = VAR.matcher(s);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(sb, Matcher.quoteReplacement(worker.getOrDefault(m.group(1), "")));
      }
      m.appendTail(sb);
      result.put(e.getKey(), sb.toString());
    }
    return result;
  }

  private static @Nullable String executable(String... candidates) {
    for (String c : candidates) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    return null;
  }

  void keepStdout() {
    keepStdout = true;
  }

  String stdout() {
    synchronized (keptStdout) {
      return keptStdout.toString();
    }
  }

  private void header(String text) {
    ctx.channel().send("header", text);
  }

  private static String secs(Object n) {
    return Py.str(n) + (((Number) n).doubleValue() == 1 ? " sec" : " secs");
  }

  /** Runs the program; returns its rc (-1 if killed by a signal). */
  int run() throws Exception {
    environ.put("PWD", Path.of(workdir).toAbsolutePath().normalize().toString());
    header(display + "\n");
    String msg = " in dir " + workdir;
    if (timeout != null) {
      msg += " (timeout " + secs(timeout) + ")";
    }
    if (maxTime != null) {
      msg += " (maxTime " + secs(maxTime) + ")";
    }
    header(msg + "\n");
    header(" watching logfiles " + PythonRepr.of(logfiles) + "\n");
    header(" argv: " + PythonRepr.of(fakeCommand) + "\n");
    if (logEnviron) {
      StringBuilder env = new StringBuilder(" environment:\n");
      new TreeMap<>(environ).forEach((k, v) -> env.append("  ").append(k).append('=').append(v).append('\n'));
      header(env.toString());
    }
    if (initialStdin != null && initialStdin.length > 0) {
      header(" writing " + initialStdin.length + " bytes to stdin\n");
    }
    header(" using PTY: False\n");

    long start = System.nanoTime();
    Process p;
    Thread out;
    Thread err;
    synchronized (lock) {
      List<String> command = new ArrayList<>();
      if (SETSID != null) {
        command.add(SETSID); // A new process group (and session): the group is killed as one.
      }
      if (ctx.umask() != null) {
        command.addAll(List.of("/bin/sh", "-c",
            "umask " + String.format(Locale.ROOT, "%03o", ctx.umask()) + " && exec \"$0\" \"$@\""));
      }
      command.addAll(argv);
      ProcessBuilder pb = new ProcessBuilder(command).directory(Path.of(workdir).toFile());
      pb.environment().clear();
      pb.environment().putAll(environ);
      try {
        p = pb.start();
      } catch (IOException e) {
        ctx.channel().send("stderr", "error in RunProcess._startCommand (" + e.getMessage() + ")\n");
        throw new AbandonChain(-1, "Got exception (" + e.getMessage() + ")");
      }
      process = p;
      pgid = SETSID != null ? p.pid() : null;
      out = reader(p.getInputStream(), "stdout", sendStdout);
      err = reader(p.getErrorStream(), "stderr", sendStderr);
      if (timeout != null) {
        ioTimer = schedule(this::doTimeout, Py.seconds(timeout));
      }
      if (maxTime != null) {
        maxTimer = schedule(this::doMaxTimeout, Py.seconds(maxTime));
      }
    }
    try (OutputStream stdin = p.getOutputStream()) {
      if (initialStdin != null) {
        stdin.write(initialStdin);
      }
    } catch (IOException e) {
      logger.debug("stdin of {}: {}", display, e.toString());
    }
    for (LogFileWatcher w : watchers) {
      w.start();
    }
    int exit = waitFor(p, out, err);
    double elapsed = (System.nanoTime() - start) / 1e9;
    for (LogFileWatcher w : watchers) {
      w.stop();
    }
    Integer sig = null;
    int rc;
    synchronized (lock) {
      finished = true;
      cancelTimers();
      if (backupFailure != null) {
        header(backupFailure + " failed to kill process\n");
        if (sendRC) {
          header("using fake rc=-1\n");
          ctx.channel().send("rc", -1);
        }
        throw new IllegalStateException(backupFailure + " failed to kill process");
      }
      rc = exit;
      if (killed && exit > 128) {
        sig = exit - 128;
      } else if (killed && exit == 0) {
        rc = -1;
      }
    }
    if (sig != null) {
      rc = -1;
    }
    if (sendRC) {
      if (sig != null) {
        header("process killed by signal " + sig + "\n");
      }
      ctx.channel().send("rc", rc);
    }
    header(String.format(Locale.ROOT, "elapsedTime=%.6f\n", elapsed));
    return rc;
  }

  private int waitFor(Process p, Thread out, Thread err) throws InterruptedException {
    int exit = p.waitFor();
    while (true) {
      boolean wasKilled;
      synchronized (lock) {
        wasKilled = killed;
      }
      // After a kill, output still held open by escaped children is abandoned (Python closes the pipes).
      out.join(wasKilled ? 1000 : 200);
      err.join(wasKilled ? 1000 : 200);
      if (!out.isAlive() && !err.isAlive()) {
        return exit;
      }
      if (wasKilled) {
        closeQuietly(p.getInputStream());
        closeQuietly(p.getErrorStream());
        out.join();
        err.join();
        return exit;
      }
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // Nothing to do.
    }
  }

  private Thread reader(InputStream in, String stream, boolean send) {
    Thread t = new Thread(() -> {
      Utf8Stream decoder = new Utf8Stream();
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) > 0) {
          String text = decoder.decode(buf, n);
          output(stream, text, send);
        }
      } catch (IOException e) {
        logger.debug("{} of {} ends: {}", stream, display, e.toString());
      }
      String rest = decoder.finish();
      if (!rest.isEmpty()) {
        output(stream, rest, send);
      }
    }, "bb-" + stream);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void output(String stream, String text, boolean send) {
    if (text.isEmpty()) {
      return;
    }
    if (send) {
      ctx.channel().send(stream, text);
    }
    if (keepStdout && stream.equals("stdout")) {
      synchronized (keptStdout) {
        keptStdout.append(text);
      }
    }
    resetTimeout();
    ctx.channel().awaitWritable();
  }

  void addLogfile(String name, String text) {
    ctx.channel().send("log", Tuple.of(name, text));
    resetTimeout();
  }

  private void resetTimeout() {
    synchronized (lock) {
      if (ioTimer != null) {
        ioTimer.cancel(false);
        ioTimer = schedule(this::doTimeout, Py.seconds(timeout));
      }
    }
  }

  private ScheduledFuture<?> schedule(Runnable r, double seconds) {
    return ctx.timers().schedule(r, (long) (seconds * 1000), TimeUnit.MILLISECONDS);
  }

  private void doTimeout() {
    kill("command timed out: " + Py.str(timeout) + " seconds without output running "
        + PythonRepr.of(fakeCommand));
  }

  private void doMaxTimeout() {
    kill("command timed out: " + Py.str(maxTime) + " seconds elapsed running " + PythonRepr.of(fakeCommand));
  }

  /** Kills the program (the whole process group), as an interrupt or a timeout does. */
  void kill(String msg) {
    synchronized (lock) {
      if (finished || process == null) {
        return;
      }
      cancelTimers();
      header("\n" + msg + ", attempting to kill\n");
      killed = true;
      if (sigtermTime != null) {
        sendSig("TERM");
        sigtermTimer = schedule(this::checkProcess, sigtermTime);
      } else {
        sendSig(interruptSignal);
        cleanUp();
      }
    }
  }

  private void checkProcess() {
    synchronized (lock) {
      sigtermTimer = null;
      if (!finished && process != null && process.isAlive()) {
        sendSig(interruptSignal);
      }
      cleanUp();
    }
  }

  private void cleanUp() {
    if (!finished) {
      ctx.timers().schedule(() -> {
        synchronized (lock) {
          if (!finished && process != null && process.isAlive()) {
            backupFailure = "SIG" + interruptSignal;
            process.destroyForcibly();
          }
        }
      }, BACKUP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
  }

  private void sendSig(String signal) {
    Process p = process;
    if (p == null) {
      return;
    }
    Long group = pgid;
    if (group != null) {
      if (runKill(signal, "-" + group)) {
        pgid = null;
        return;
      }
    }
    if (!runKill(signal, Long.toString(p.pid()))) {
      if (signal.equals("KILL")) {
        p.destroyForcibly();
      } else {
        p.destroy();
      }
    }
  }

  private static boolean runKill(String signal, String target) {
    try {
      Process k = new ProcessBuilder(KILL, "-s", signal, "--", target)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return k.waitFor(5, TimeUnit.SECONDS) && k.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void cancelTimers() {
    for (ScheduledFuture<?> t : new ScheduledFuture<?>[] {ioTimer, maxTimer, sigtermTimer}) {
      if (t != null) {
        t.cancel(false);
      }
    }
    ioTimer = null;
    maxTimer = null;
    sigtermTimer = null;
  }

  /** Python's {@code AbandonChain}: a command ends early with this rc. */
  static final class AbandonChain extends Exception {
    private static final long serialVersionUID = 1L;
    final int rc;

    AbandonChain(int rc, String message) {
      super(message);
      this.rc = rc;
    }
  }
}
