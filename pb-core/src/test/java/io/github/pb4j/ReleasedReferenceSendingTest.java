package io.github.pb4j;

import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A reference this side released is not sent back to its owner, which has forgotten its luid. */
@Timeout(20)
class ReleasedReferenceSendingTest {
  public static final class Thing implements Referenceable {}

  public static final class ThingRoot implements Root {
    final Thing thing = new Thing();

    @Remote
    public Thing thing() {
      return thing;
    }

    @Remote
    public boolean isThing(Object o) {
      return o == thing;
    }
  }

  @Test
  void sendingAReleasedReferenceFailsLocally() throws Exception {
    try (LoopbackPair p = LoopbackPair.create(new ThingRoot())) {
      RemoteReference root = p.root();
      RemoteReference thing = (RemoteReference) root.callRemote("thing").get(5, TimeUnit.SECONDS);
      assertThat(root.callRemote("isThing", thing).get(5, TimeUnit.SECONDS)).isEqualTo(true);
      thing.release();
      p.settle();
      Throwable failure = failureOf(root.callRemote("isThing", thing));
      assertThat(failure).isInstanceOf(DeadReferenceException.class);
      assertThat(p.client().isConnected()).isTrue();
    }
  }
}
