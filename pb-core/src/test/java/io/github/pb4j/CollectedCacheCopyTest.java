package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cache copy the program dropped is released on the wire ({@code decache}, Twisted's {@code
 * RemoteCache.__del__}); what the owner sends for it before reading the decache is handled without
 * the copy: an update is answered None, the copy sent again reads as None and is released again.
 * The owner is scripted, so the wire is exact.
 */
@Timeout(30)
class CollectedCacheCopyTest {
  private static final int CACHE_ID = 5;

  private static byte[] encode(Dialect dialect, Object sexp) {
    ByteBuf buf = Unpooled.buffer();
    try {
      new BananaEncoder(dialect, BananaLimits.DEFAULT).encode(sexp, buf);
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  private static ByteString b(String s) {
    return ByteString.ascii(s);
  }

  private static byte[] pb(Object... sexp) {
    return encode(Dialect.PB, List.of(sexp));
  }

  @Test
  void droppedCopyIsDecachedAndLateMessagesForItAreHandled() throws Exception {
    BrokerOptions options = BrokerOptions.builder()
        .remoteCache("test.Counter", FlavoursTest.RemoteCounter::new).build();
    try (ScriptedPeer owner = ScriptedPeer.againstClient(options)) {
      owner.send(encode(Dialect.NONE, List.of(b("pb"), b("none"))));
      owner.send(pb(b("version"), 6));
      RemoteReference root = owner.broker().rootObject().get(5, TimeUnit.SECONDS);

      receiveAndDrop(owner, root);
      // The cleaner runs when the collector finds the copy unreachable; each round awaits the
      // event loop, no sleeping.
      String decache = "[b'decache', " + CACHE_ID + "]";
      for (int i = 0; i < 200 && !owner.receivedExpressions().contains(decache); i++) {
        System.gc();
        owner.call(() -> null);
      }
      assertThat(owner.receivedExpressions()).containsOnlyOnce(decache);

      // An update sent before the owner read the decache: nobody to reach, answered None.
      owner.send(pb(b("cachemessage"), 7, CACHE_ID, b("setValue"), 1, List.of(b("tuple"), 9),
          List.of(b("dictionary"))));
      assertThat(owner.receivedExpressions()).contains("[b'answer', 7, [b'None']]");

      // The copy sent again: read as None (its state went with it), and released again.
      CompletableFuture<@Nullable Object> again = root.callRemote("counter");
      owner.send(pb(b("answer"), 2, List.of(b("cached"), CACHE_ID)));
      assertThat(again.get(5, TimeUnit.SECONDS)).isNull();
      assertThat(owner.receivedExpressions().stream().filter(decache::equals)).hasSize(2);

      owner.send(pb(b("uncache"), CACHE_ID));
      assertThat(owner.call(() -> BrokerTestAccess.heldCacheCount(owner.broker()))).isZero();
      assertThat(owner.isClosed()).isFalse();
    }
  }

  private static void receiveAndDrop(ScriptedPeer owner, RemoteReference root) throws Exception {
    CompletableFuture<@Nullable Object> call = root.callRemote("counter");
    List<Object> state = List.of(b("dictionary"), List.of(List.of(b("unicode"), b("value")), 7));
    owner.send(pb(b("answer"), 1, List.of(b("test.Counter"), CACHE_ID, state)));
    Object copy = call.get(5, TimeUnit.SECONDS);
    assertThat(copy).isInstanceOf(FlavoursTest.RemoteCounter.class);
    assertThat(((FlavoursTest.RemoteCounter) copy).value).isEqualTo(7);
  }
}
