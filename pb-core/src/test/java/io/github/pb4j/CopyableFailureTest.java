package io.github.pb4j;

import static io.github.pb4j.testing.Futures.await;
import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A failure can be sent as a value (Twisted's {@code CopyableFailure}), built from a Java
 * exception or from its parts, and a received failure can be passed on as it came.
 */
@Timeout(20)
class CopyableFailureTest {
  private final List<LoopbackPair> pairs = new ArrayList<>();

  @AfterEach
  void close() {
    pairs.forEach(LoopbackPair::close);
  }

  public static final class Step implements Root {
    @Nullable RemoteFailureException completed;

    @Remote
    public String complete(@Nullable RemoteFailureException failure) {
      completed = failure;
      return failure == null ? "success" : failure.remoteType() + ": " + failure.remoteValue();
    }

    @Remote
    public void fail() {
      throw new IllegalArgumentException("size must be positive");
    }
  }

  @Test
  void theStateIsTwistedsTenKeysInTwistedsOrder() {
    CopyableFailure f = CopyableFailure.of(new IllegalArgumentException("bad"));

    assertThat(f.state().keySet()).containsExactly("count", "type", "value", "captureVars", "frames", "stack", "tb",
        "parents", "unsafeTracebacks", "traceback");
    assertThat(f.state().get("type")).isEqualTo(ByteString.utf8("java.lang.IllegalArgumentException"));
    assertThat(f.state().get("value")).isEqualTo("bad");
    assertThat(f.state().get("traceback")).isEqualTo("Traceback unavailable\n");
    assertThat(f.state().get("unsafeTracebacks")).isEqualTo(false);
    assertThat(f.parents()).contains("java.lang.IllegalArgumentException", "builtins.ValueError", "builtins.Exception");

    CopyableFailure traced = CopyableFailure.withTraceback(new IllegalStateException("broken"));
    assertThat(traced.hasTraceback()).isTrue();
    assertThat(traced.traceback()).contains("java.lang.IllegalStateException: broken").contains("at ");

    CopyableFailure named = CopyableFailure.of("buildbot_worker.exceptions.AbandonChain", "(1, 'x')");
    assertThat(named.parents()).containsExactly("buildbot_worker.exceptions.AbandonChain", "builtins.Exception",
        "builtins.BaseException", "builtins.object");
    assertThat(named.toException().check("builtins.Exception")).isTrue();
  }

  @Test
  void aFailureTravelsAsAValueAndAReceivedOneIsPassedOn() throws Exception {
    Step step = new Step();
    LoopbackPair pair = LoopbackPair.create(step);
    pairs.add(pair);
    RemoteReference root = pair.root();

    assertThat(await(root.callRemote("complete", CopyableFailure.of(new IllegalArgumentException("bad size")))))
        .isEqualTo("java.lang.IllegalArgumentException: bad size");
    assertThat(step.completed.check("builtins.ValueError")).isTrue();
    assertThat(await(root.callRemote("complete", (Object) null))).isEqualTo("success");

    RemoteFailureException received = (RemoteFailureException) failureOf(root.callRemote("fail"));
    assertThat(await(root.callRemote("complete", received)))
        .isEqualTo("java.lang.IllegalArgumentException: size must be positive");
    assertThat(step.completed.parents()).isEqualTo(received.parents());
    assertThat(step.completed.remoteTraceback()).isEqualTo(received.remoteTraceback());
  }
}
