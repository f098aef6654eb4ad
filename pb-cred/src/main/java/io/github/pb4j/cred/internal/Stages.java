package io.github.pb4j.cred.internal;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Future helpers of pb-cred and pb-userstore: Twisted's {@code maybeDeferred} and friends. Not API:
 * may change in any release.
 */
public final class Stages {
  private Stages() {}

  /**
   * Calls {@code call} and returns a copy of the stage it returns; a throw or a {@code null} stage
   * becomes a failed future. The copy unwraps {@link CompletionException}s, so callers see the real
   * cause.
   */
  public static <T> CompletableFuture<T> call(Supplier<? extends CompletionStage<T>> call) {
    CompletionStage<T> stage;
    try {
      stage = Objects.requireNonNull(call.get(), "returned stage");
    } catch (RuntimeException | Error e) {
      return CompletableFuture.failedFuture(e);
    }
    var copy = new CompletableFuture<T>();
    stage.whenComplete(
        (value, failure) -> {
          if (failure != null) {
            copy.completeExceptionally(unwrap(failure));
          } else {
            copy.complete(value);
          }
        });
    return copy;
  }

  /**
   * Runs {@code task} on {@code executor} and returns a future of its result. A rejected task
   * becomes a future failed with the {@link RejectedExecutionException}.
   */
  public static <T> CompletableFuture<T> supplyAsync(Callable<T> task, Executor executor) {
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
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure.getCause();
    return failure instanceof CompletionException && cause != null ? cause : failure;
  }
}
