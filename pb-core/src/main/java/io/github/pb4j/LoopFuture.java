package io.github.pb4j;

import io.netty.util.concurrent.BlockingOperationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of a call: completed on its connection's event loop, so waiting for it there would
 * wait forever (the answer is read by the waiting thread). {@link #get()} and {@link #join()}
 * called on that event loop before the future is complete fail at once, as Netty's {@code
 * DefaultPromise.checkDeadLock} does, naming the {@link Remote} method that waited. Dependent
 * stages ({@code thenApply}, ...) are {@code LoopFuture}s too.
 *
 * <p>The check costs a volatile read and a thread comparison, only when a program blocks.
 */
class LoopFuture<T> extends CompletableFuture<T> {
  private final Broker broker;

  LoopFuture(Broker broker) {
    this.broker = broker;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new LoopFuture<>(broker);
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    checkDeadLock("get()");
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    checkDeadLock("get(timeout)");
    return super.get(timeout, unit);
  }

  @Override
  public T join() {
    checkDeadLock("join()");
    return super.join();
  }

  private void checkDeadLock(String how) {
    if (!isDone() && broker.executor().inEventLoop()) {
      String method = broker.runningRemoteMethod();
      throw new BlockingOperationException(how + " on a pb4j future, on the event loop of connection "
          + broker.connectionId() + (method != null ? ", in remote method " + method : "")
          + ", would wait forever: the answer is read by this very thread. "
          + (method != null
              ? "Return the CompletableFuture from the @Remote method (e.g. callRemote(...).thenApply(...)) instead of "
              : "Chain what follows (thenApply, thenCompose) instead of ")
          + "blocking on it");
    }
  }
}
