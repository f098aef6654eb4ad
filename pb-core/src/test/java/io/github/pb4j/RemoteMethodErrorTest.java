package io.github.pb4j;

import static io.github.pb4j.testing.Futures.await;
import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.jelly.JellyRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link Error} thrown by application code a call runs is answered as an error, and the
 * connection goes on, as Twisted answers any exception; only an error that leaves the JVM
 * unusable ({@link VirtualMachineError} other than {@link StackOverflowError}) ends the connection.
 */
@Timeout(20)
class RemoteMethodErrorTest {
  private final List<LoopbackPair> pairs = new ArrayList<>();

  @AfterEach
  void close() {
    pairs.forEach(LoopbackPair::close);
  }

  /** A copy whose state cannot be made: application code run while the answer is encoded. */
  public static final class Broken implements Copyable {
    @Override
    public String copyTypeName() {
      return "test.Broken";
    }

    @Override
    public Object stateToCopyFor(@Nullable Object perspective) {
      throw new AssertionError("state is broken");
    }
  }

  public static final class ErrorRoot implements Root {
    @Remote
    public void assertion() {
      throw new AssertionError("invariant broken");
    }

    @Remote
    public void linkage() {
      throw new NoClassDefFoundError("com/example/Missing");
    }

    @Remote
    public int recurse() {
      return depth(0);
    }

    private int depth(int n) {
      return depth(n + 1) + 1;
    }

    @Remote
    public void outOfMemory() {
      throw new OutOfMemoryError("test: heap exhausted");
    }

    @Remote
    public CompletableFuture<String> assertionLater() {
      return CompletableFuture.failedFuture(new AssertionError("later"));
    }

    @Remote
    public Broken broken() {
      return new Broken();
    }

    @Remote
    public String ping() {
      return "pong";
    }

    @Remote
    public CompletableFuture<@Nullable Object> callBroken(RemoteReference peer) {
      return peer.callRemote("ping", new Broken());
    }
  }

  public static final class Pinged implements Referenceable {
    @Remote
    public String ping(@Nullable Object ignored) {
      return "pong";
    }
  }

  private LoopbackPair pair() {
    LoopbackPair p = LoopbackPair.create(new ErrorRoot(),
        BrokerOptions.builder().registry(JellyRegistry.builder().build()).build(), BrokerOptions.DEFAULT);
    pairs.add(p);
    return p;
  }

  private static void assertAnswered(LoopbackPair p, RemoteReference root, String method, String type)
      throws Exception {
    Throwable failure = failureOf(root.callRemote(method));
    assertThat(failure).isInstanceOf(RemoteFailureException.class);
    assertThat(((RemoteFailureException) failure).remoteType()).as(failure.toString()).isEqualTo(type);
    assertThat(await(root.callRemote("ping"))).isEqualTo("pong");
    assertThat(p.client().isConnected()).isTrue();
  }

  @Test
  void assertionErrorIsAnsweredAndTheConnectionGoesOn() throws Exception {
    LoopbackPair p = pair();
    assertAnswered(p, p.root(), "assertion", "java.lang.AssertionError");
  }

  @Test
  void linkageErrorIsAnsweredAndTheConnectionGoesOn() throws Exception {
    LoopbackPair p = pair();
    assertAnswered(p, p.root(), "linkage", "java.lang.NoClassDefFoundError");
  }

  @Test
  void stackOverflowIsAnsweredAndTheConnectionGoesOn() throws Exception {
    LoopbackPair p = pair();
    assertAnswered(p, p.root(), "recurse", "java.lang.StackOverflowError");
  }

  @Test
  void errorOfADeferredResultIsAnswered() throws Exception {
    LoopbackPair p = pair();
    assertAnswered(p, p.root(), "assertionLater", "java.lang.AssertionError");
  }

  @Test
  void errorWhileEncodingTheAnswerIsAnswered() throws Exception {
    LoopbackPair p = pair();
    assertAnswered(p, p.root(), "broken", "java.lang.AssertionError");
    assertThat(p.call(() -> BrokerTestAccess.exportedCount(p.server()))).isEqualTo(1);
  }

  @Test
  void errorWhileEncodingACallFailsThatCall() throws Exception {
    LoopbackPair p = pair();
    RemoteReference root = p.root();
    Throwable failure = failureOf(root.callRemote("callBroken", new Pinged()));
    assertThat(failure).isInstanceOf(RemoteFailureException.class);
    assertThat(((RemoteFailureException) failure).remoteType()).isEqualTo("java.lang.AssertionError");
    assertThat(await(root.callRemote("ping"))).isEqualTo("pong");
  }

  @Test
  void outOfMemoryEndsTheConnection() throws Exception {
    LoopbackPair p = pair();
    RemoteReference root = p.root();
    CompletableFuture<@Nullable Object> call = root.callRemote("outOfMemory");
    assertThat(failureOf(call)).isInstanceOf(ConnectionLostException.class);
    assertThat(p.server().isConnected()).isFalse();
  }
}
