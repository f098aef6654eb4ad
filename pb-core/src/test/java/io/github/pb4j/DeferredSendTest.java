package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Calls made by code the jellier runs while it encodes an answer (a copyable's {@code
 * stateToCopyFor} calling the peer) are sent right after that answer, also on an executor that runs
 * tasks at once, and fail rather than hang when the connection ends meanwhile.
 */
@Timeout(10)
class DeferredSendTest {
  private static final BrokerOptions OPTIONS = BrokerOptions.builder()
      .handshakeTimeout(Duration.ZERO)
      .registry(io.github.pb4j.jelly.JellyRegistry.builder()
          .registerReceiver("test.State", Map.class, state -> (Map<?, ?>) state)
          .build())
      .build();

  public static final class Pinged implements Referenceable {
    @Remote
    public String ping() {
      return "pong";
    }
  }

  /** Root whose answer's state is made by {@code whileCopied}, given the peer's reference. */
  public static final class CallingRoot implements Root {
    final List<CompletableFuture<@Nullable Object>> calls = new ArrayList<>();
    Consumer<RemoteReference> whileCopied = peer -> {};

    @Remote
    public Copyable copied(RemoteReference peer) {
      return new Copyable() {
        @Override
        public String copyTypeName() {
          return "test.State";
        }

        @Override
        public Object stateToCopyFor(@Nullable Object perspective) {
          calls.add(peer.callRemote("ping"));
          whileCopied.accept(peer);
          calls.add(peer.callRemote("ping"));
          return Map.of("x", 1);
        }
      };
    }
  }

  /** One direction of an in-memory connection. */
  private static final class Wire implements MessageSink {
    final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();

    @Override
    public ByteBufAllocator alloc() {
      return UnpooledByteBufAllocator.DEFAULT;
    }

    @Override
    public void write(ByteBuf message) {
      queue.add(message);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    boolean deliverTo(Broker broker) {
      boolean any = false;
      for (ByteBuf b; (b = queue.poll()) != null; ) {
        any = true;
        try {
          broker.receive(b);
        } finally {
          b.release();
        }
      }
      return any;
    }
  }

  private final Wire toServer = new Wire();
  private final Wire toClient = new Wire();
  private final CallingRoot root = new CallingRoot();
  private final Broker server =
      Broker.server(root, OPTIONS, toClient, ImmediateEventExecutor.INSTANCE);
  private final Broker client = Broker.client(OPTIONS, toServer, ImmediateEventExecutor.INSTANCE);

  private void pump() {
    for (int i = 0; i < 1000 && (toServer.deliverTo(server) | toClient.deliverTo(client)); i++) {
      // until both directions are quiet
    }
  }

  private RemoteReference connect() {
    server.connectionMade();
    client.connectionMade();
    pump();
    return client.rootObject().getNow(null);
  }

  @Test
  void callsMadeWhileAnAnswerIsEncodedGoRightAfterItOnAnImmediateExecutor() throws Exception {
    RemoteReference serverRoot = connect();

    CompletableFuture<@Nullable Object> answer = serverRoot.callRemote("copied", new Pinged());
    pump();

    assertThat(answer.get(1, TimeUnit.SECONDS)).isEqualTo(Map.of("x", 1));
    assertThat(root.calls).hasSize(2);
    for (CompletableFuture<@Nullable Object> call : root.calls) {
      assertThat(call.get(1, TimeUnit.SECONDS)).isEqualTo("pong");
    }
  }

  @Test
  void aCallDeferredWhenTheConnectionEndsFailsInsteadOfHanging() {
    RemoteReference serverRoot = connect();
    root.whileCopied = peer -> server.connectionLost(null);

    serverRoot.callRemote("copied", new Pinged());
    pump();

    assertThat(root.calls).hasSize(2);
    for (CompletableFuture<@Nullable Object> call : root.calls) {
      assertThat(call).isCompletedExceptionally();
      assertThat(call.handle((v, e) -> e).join()).isInstanceOf(DeadReferenceException.class);
    }
  }
}
