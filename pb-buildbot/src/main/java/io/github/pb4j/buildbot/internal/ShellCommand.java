package io.github.pb4j.buildbot.internal;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code shell}: runs a program (a string through {@code /bin/sh -c}, or an argv list). */
final class ShellCommand extends WorkerCommand {
  private volatile @Nullable RunProcess process;

  ShellCommand(CommandContext ctx, Map<String, @Nullable Object> args) {
    super(ctx, args, List.of("workdir", "command"));
  }

  @Override
  protected void start() throws Exception {
    RunProcess p = new RunProcess(ctx, args.get("command"), requireText("workdir"),
        (Map<?, ?>) args.get("env"),
        Py.truthy(args.getOrDefault("want_stdout", true)),
        Py.truthy(args.getOrDefault("want_stderr", true)),
        true, args.get("timeout"), args.get("maxTime"), args.get("sigtermTime"),
        args.get("initial_stdin"), Py.truthy(args.getOrDefault("logEnviron", true)),
        (Map<?, ?>) args.get("logfiles"));
    if (Py.truthy(args.get("interruptSignal"))) {
      p.interruptSignal = Py.text(args.get("interruptSignal"));
    }
    process = p;
    if (interrupted) {
      return;
    }
    p.run();
  }

  @Override
  protected void interrupt() {
    interrupted = true;
    RunProcess p = process;
    if (p != null) {
      p.kill("command interrupted");
    }
  }
}
