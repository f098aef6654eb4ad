package io.github.pb4j.buildbot.internal;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One command the master runs on the worker (Python's {@code buildbot_worker.commands.base.Command}).
 * {@link #start} runs on the command's own thread and may block until the command is done; it
 * returns normally (the result is in the {@code rc} update) or throws, which the master sees as
 * the step's exception. {@link #interrupt} comes from another thread.
 */
public abstract class WorkerCommand {
  protected final CommandContext ctx;
  protected final Map<String, @Nullable Object> args;
  /** False once interrupted or finished: {@link #sendStatus} is then silent. */
  protected volatile boolean running;
  protected volatile boolean interrupted;

  protected WorkerCommand(CommandContext ctx, Map<String, @Nullable Object> args, List<String> required) {
    this.ctx = ctx;
    this.args = args;
    List<String> missing = required.stream().filter(a -> !args.containsKey(a)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          getClass().getSimpleName() + " is missing args: " + String.join(", ", missing));
    }
  }

  /** Runs the command to its end. */
  protected abstract void start() throws Exception;

  /** Asks the command to stop soon; it still ends through {@link #start} returning. */
  protected void interrupt() {}

  /** Sends a status entry while the command runs (not after an interrupt). */
  protected void sendStatus(String key, @Nullable Object value) {
    if (running) {
      ctx.channel().send(key, value);
    }
  }

  final void doInterrupt() {
    running = false;
    interrupt();
  }

  /** An argument as text, or {@code fallback}. */
  protected @Nullable String text(String key, @Nullable String fallback) {
    Object v = args.get(key);
    return v == null ? fallback : Py.text(v);
  }

  /** A required text argument. */
  protected String requireText(String key) {
    String v = text(key, null);
    if (v == null) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": argument " + key + " is None");
    }
    return v;
  }
}
