package io.github.pb4j.userstore;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Future helpers for the store's work on its executor. */
final class Stages {
  private Stages() {}

  /**
   * Runs {@code task} on {@code executor} and returns a future of its result. A rejected task
   * becomes a future failed with the {@link RejectedExecutionException}.
   */
  static <T> CompletableFuture<T> supplyAsync(Callable<T> task, Executor executor) {
    var future = new CompletableFuture<T>();
    try {
      executor.execute(
          () -> {
            try {
              future.complete(task.call());
            } catch (Throwable t) {
              // Complete the future whatever happened, or its caller would wait forever.
              future.completeExceptionally(t);
            }
          });
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(e);
    }
    return future;
  }

  /** Returns the cause of a {@link CompletionException}, else {@code failure} itself. */
  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure.getCause();
    return failure instanceof CompletionException && cause != null ? cause : failure;
  }
}
