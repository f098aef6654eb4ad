package io.github.pb4j.buildbot.internal;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * What a running command may use: its channel to the master, the worker's base directory, the
 * worker's environment (for {@code ${VAR}} expansion), the umask for what it creates, and a timer.
 *
 * @param umask the umask applied to created files and child processes, or null for the inherited one
 */
public record CommandContext(
    CommandChannel channel,
    String workerBasedir,
    Map<String, String> environment,
    @Nullable Integer umask,
    ScheduledExecutorService timers) {}
