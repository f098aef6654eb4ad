package io.github.pb4j.benchmarks;

import io.github.pb4j.RemoteReference;
import io.github.pb4j.netty.PbClient;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Calls {@code echo(argument)} on a PB server's root with {@code window} calls outstanding, each
 * answer issuing the next call from the client's event loop (no thread hand-off). A window of 1 is
 * sequential calls.
 */
final class PbEchoLoad extends Load {
  private static final long TIMEOUT_SECONDS = 30;

  private final PbClient client;
  private final RemoteReference root;
  private final Object argument;
  private final boolean checkEachAnswer;
  private final int window;
  private int outstanding; // Confined to the client's event loop.

  /**
   * Connects to the PB server on {@code port}. {@code checkEachAnswer} compares every answer with
   * the argument; otherwise only the first call's answer is checked (comparing a large value costs
   * more than the call).
   */
  PbEchoLoad(int port, Object argument, int window, boolean checkEachAnswer) throws Exception {
    if (window < 1) {
      throw new IllegalArgumentException("window: " + window + " (expected: >= 1)");
    }
    this.argument = argument;
    this.window = window;
    this.checkEachAnswer = checkEachAnswer;
    this.client = PbClient.builder().host("127.0.0.1").port(port).build();
    try {
      this.root = connect(client, argument);
    } catch (Exception e) {
      client.close();
      throw e;
    }
  }

  /** Returns the server's root once an echo of {@code argument} came back equal. */
  private static RemoteReference connect(PbClient client, Object argument) throws Exception {
    RemoteReference root = client.getRootObject().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Object echoed = root.callRemote("echo", argument).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (!argument.equals(echoed)) {
      throw new IllegalStateException("echo returned something else: " + echoed);
    }
    return root;
  }

  @Override
  void issue() {
    root.broker()
        .executor()
        .execute(
            () -> {
              for (int i = 0; i < window; i++) {
                call();
              }
            });
  }

  private void call() {
    outstanding++;
    root.callRemote("echo", argument).whenComplete(this::answered);
  }

  private void answered(@Nullable Object value, @Nullable Throwable error) {
    outstanding--;
    if (error != null) {
      fail(error);
    } else if (checkEachAnswer && !Objects.equals(argument, value)) {
      fail(new IllegalStateException("echo returned something else: " + value));
    } else {
      completedOne();
    }
    if (!isStopping()) {
      call();
    } else if (outstanding == 0) {
      drained();
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** Returns a load whose one thread calls and waits for each answer in turn. */
  static ThreadLoad blocking(int port, Object argument) throws Exception {
    PbClient client = PbClient.builder().host("127.0.0.1").port(port).build();
    RemoteReference root;
    try {
      root = connect(client, argument);
    } catch (Exception e) {
      client.close();
      throw e;
    }
    return new ThreadLoad(
        "pb-caller",
        () -> {
          Object echoed = root.callRemote("echo", argument).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
          if (!argument.equals(echoed)) {
            throw new IllegalStateException("echo returned something else: " + echoed);
          }
        },
        client);
  }
}
