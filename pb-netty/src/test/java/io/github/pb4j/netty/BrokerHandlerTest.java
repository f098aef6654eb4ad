package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.Broker;
import io.github.pb4j.BrokerOptions;
import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.PbObserver;
import io.github.pb4j.PbProtocolException;
import io.github.pb4j.RemoteReference;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link BrokerHandler} on an {@link EmbeddedChannel}: byte-exact, single-threaded. */
@Timeout(10)
class BrokerHandlerTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String OFFER = "0280" + "02827062" + "04826e6f6e65"; // [b'pb', b'none']
  private static final String CHOOSE_PB = "02827062"; // b'pb'
  private static final String VERSION = "028013870681"; // [b'version', 6]
  // [b'message', 1, b'root', b'echo', 1, [b'tuple', 42], [b'dictionary']]
  private static final String ECHO_42 =
      "07801a87" + "0181" + "0482726f6f74" + "04826563686f" + "0181" + "02800b872a81" + "01800587";
  private static final String ANSWER_42 = "03801b87" + "0181" + "2a81"; // [b'answer', 1, 42]

  @Test
  void serverOffersDialectsWhenActive() {
    EmbeddedChannel channel = serverChannel();

    assertThat(readAll(channel)).isEqualTo(OFFER);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void answersHandshakeAndCallFedByteByByte() {
    EmbeddedChannel channel = serverChannel();
    readAll(channel);

    for (byte b : HEX.parseHex(CHOOSE_PB + VERSION + ECHO_42)) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }

    assertThat(readAll(channel)).isEqualTo(VERSION + ANSWER_42);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void aReadWithoutItsReadCompleteLeavesNoConnectionInTheCallersLogContext() {
    EmbeddedChannel channel = serverChannel();
    readAll(channel);

    // A test may feed an embedded channel read by read, never completing the burst.
    channel.writeOneInbound(Unpooled.wrappedBuffer(HEX.parseHex(CHOOSE_PB + VERSION)));

    assertThat(org.slf4j.MDC.get(io.github.pb4j.LogContext.CONNECTION)).isNull();
    channel.finishAndReleaseAll();
  }

  @Test
  void answersToTheCallsOfOneReadBurstLeaveInOneBufferInOrder() {
    EmbeddedChannel channel = serverChannel();
    readAll(channel);
    channel.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex(CHOOSE_PB + VERSION)));
    assertThat(readAll(channel)).isEqualTo(VERSION);

    // Three reads, then one channelReadComplete: one buffer, flushed once.
    channel.writeInbound(
        Unpooled.wrappedBuffer(HEX.parseHex(echo42(1))),
        Unpooled.wrappedBuffer(HEX.parseHex(echo42(2) + echo42(3))),
        Unpooled.wrappedBuffer(HEX.parseHex(echo42(4))));

    ByteBuf out = channel.readOutbound();
    assertThat(ByteBufUtil.hexDump(out))
        .isEqualTo(answer42(1) + answer42(2) + answer42(3) + answer42(4));
    out.release();
    assertThat(readAll(channel)).isEmpty();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void aReadWithoutReadCompleteBehindAnotherHandlerIsFlushedOnceTheLoopRunsItsTasks() {
    // As TLS may: a handler in front firing a read that no channelReadComplete follows.
    EmbeddedChannel channel = new EmbeddedChannel(new io.netty.channel.ChannelInboundHandlerAdapter(),
        BrokerHandler.server(new TestRoot(), BrokerOptions.DEFAULT));
    readAll(channel);
    channel.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex(CHOOSE_PB + VERSION)));
    readAll(channel);

    channel.pipeline().fireChannelRead(Unpooled.wrappedBuffer(HEX.parseHex(echo42(1))));
    assertThat(readAll(channel)).isEmpty(); // the burst is still open
    channel.runPendingTasks();

    assertThat(readAll(channel)).isEqualTo(answer42(1));
    assertThat(channel.finish()).isFalse();
  }

  /** {@code [b'message', id, b'root', b'echo', 1, [b'tuple', 42], [b'dictionary']]}, id < 128. */
  private static String echo42(int id) {
    return ECHO_42.replace("07801a870181", "07801a87" + String.format("%02x81", id));
  }

  /** {@code [b'answer', id, 42]}, id < 128. */
  private static String answer42(int id) {
    return "03801b87" + String.format("%02x81", id) + "2a81";
  }

  @Test
  void releasesInboundBuffers() {
    EmbeddedChannel channel = serverChannel();
    ByteBuf whole = Unpooled.wrappedBuffer(HEX.parseHex(CHOOSE_PB + VERSION + ECHO_42));
    ByteBuf partial = Unpooled.wrappedBuffer(HEX.parseHex("0780"));

    channel.writeInbound(whole, partial);

    assertThat(whole.refCnt()).isZero();
    assertThat(partial.refCnt()).isZero();
    readAll(channel);
    channel.finishAndReleaseAll();
  }

  @Test
  void closesOnMalformedInput() {
    BrokerHandler handler = BrokerHandler.server(new TestRoot(), BrokerOptions.DEFAULT);
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    Broker broker = handler.broker().join();

    channel.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex("01ff")));
    channel.runPendingTasks();

    assertThat(channel.isOpen()).isFalse();
    assertThat(broker.isConnected()).isFalse();
    channel.finishAndReleaseAll();
  }

  @Test
  void stopsReadingWhileUnwritable() {
    EmbeddedChannel channel = serverChannel();

    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    channel.runPendingTasks();
    assertThat(channel.config().isAutoRead()).isFalse();

    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    channel.runPendingTasks();
    assertThat(channel.config().isAutoRead()).isTrue();
    channel.finishAndReleaseAll();
  }

  @Test
  void pageProducersPauseWhileUnwritableAndResumeWhenDrained() {
    BrokerHandler handler = BrokerHandler.server(new TestRoot(), BrokerOptions.DEFAULT);
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    Broker broker = handler.broker().join();
    int[] pages = {0};
    Broker.PageProducer producer = new Broker.PageProducer() {
      @Override
      public void sendNextPage() {
        pages[0]++;
      }

      @Override
      public boolean stillPaging() {
        return pages[0] < 5;
      }
    };
    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    channel.runPendingTasks();

    broker.registerPageProducer(producer);
    channel.runPendingTasks();
    assertThat(pages[0]).isEqualTo(1);

    channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    channel.runPendingTasks();
    assertThat(pages[0]).isEqualTo(5);
    channel.finishAndReleaseAll();
  }

  @Test
  void closingFailsPendingCallsWithConnectionLost() {
    BrokerHandler handler = BrokerHandler.client(BrokerOptions.DEFAULT);
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    RemoteReference root = connectClient(channel, handler);
    CompletableFuture<@Nullable Object> call = root.callRemote("echo", 42);
    assertThat(readAll(channel)).isEqualTo(ECHO_42);

    channel.close();

    assertThat(call).isCompletedExceptionally();
    assertThat(call.handle((v, e) -> e).join()).isInstanceOf(ConnectionLostException.class);
  }

  @Test
  void exceptionLooksThroughDecoderExceptionAndBecomesTheCause() {
    BrokerHandler handler = BrokerHandler.client(BrokerOptions.DEFAULT);
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    RemoteReference root = connectClient(channel, handler);
    CompletableFuture<@Nullable Object> call = root.callRemote("echo", 42);
    PbProtocolException reason = new PbProtocolException("bad frame");

    channel.pipeline().fireExceptionCaught(new DecoderException(reason));

    assertThat(channel.isOpen()).isFalse();
    Throwable failure = call.handle((v, e) -> e).join();
    assertThat(failure).isInstanceOf(ConnectionLostException.class).hasCause(reason);
    channel.finishAndReleaseAll();
  }

  @Test
  void startsWhenAddedToAnActiveChannel() {
    EmbeddedChannel channel = new EmbeddedChannel();

    channel.pipeline().addLast(BrokerHandler.server(new TestRoot(), BrokerOptions.DEFAULT));

    assertThat(readAll(channel)).isEqualTo(OFFER);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void removalFromAnOpenChannelFailsPendingCalls() {
    BrokerHandler handler = BrokerHandler.client(BrokerOptions.DEFAULT);
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    RemoteReference root = connectClient(channel, handler);
    CompletableFuture<@Nullable Object> call = root.callRemote("echo", 42);

    channel.pipeline().remove(handler);

    assertThat(call.handle((v, e) -> e).join()).isInstanceOf(ConnectionLostException.class);
    assertThat(handler.lost()).isCompleted();
    channel.finishAndReleaseAll();
  }

  @Test
  void futuresAskedForLateAreSettledAndTheEndIsHeardOnce() {
    int[] ends = new int[1];
    BrokerHandler handler = new BrokerHandler(
        (sink, executor) -> Broker.server(new TestRoot(), BrokerOptions.DEFAULT, sink, executor),
        channel -> ends[0]++);
    CompletableFuture<@Nullable Void> lostBefore = handler.lost();
    EmbeddedChannel channel = new EmbeddedChannel(handler);

    Broker broker = handler.broker().join(); // asked after the start
    assertThat(handler.startedBroker()).isSameAs(broker);
    assertThat(lostBefore).isNotDone();
    channel.close();

    assertThat(lostBefore).isCompleted();
    assertThat(handler.lost()).isCompleted(); // asked after the end
    assertThat(ends[0]).isEqualTo(1);
    channel.finishAndReleaseAll();
    assertThat(ends[0]).isEqualTo(1);
  }

  @Test
  void listenerHearsTheStartBeforeTheConnectionIsMadeAndTheEndWithItsChannel() throws Exception {
    List<String> events = new ArrayList<>();
    BrokerOptions options = BrokerOptions.builder().observer(new PbObserver() {
      @Override
      public void connectionOpened(Broker broker) {
        events.add("connectionMade");
      }
    }).build();
    BrokerHandler[] handler = new BrokerHandler[1];
    EmbeddedChannel[] channel = new EmbeddedChannel[1];
    handler[0] = new BrokerHandler(
        (sink, executor) -> Broker.server(new TestRoot(), options, sink, executor),
        new BrokerHandler.Listener() {
          @Override
          public void started(Broker broker) {
            events.add(handler[0].startedBroker() == broker ? "started as the handler's" : "started");
          }

          @Override
          public void ended(Channel ended) {
            events.add(ended == channel[0] ? "ended on its channel" : "ended");
          }
        });
    channel[0] = new EmbeddedChannel(false, false, handler[0]);
    channel[0].register();

    assertThat(events).containsExactly("started as the handler's", "connectionMade");
    channel[0].close();
    assertThat(events).containsExactly(
        "started as the handler's", "connectionMade", "ended on its channel");
    channel[0].finishAndReleaseAll();
  }

  @Test
  void anErrorFromTheListenerEndsTheConnectionUnstartedAndReleasesTheBroker() {
    List<String> events = new ArrayList<>();
    EventRecorder observer = new EventRecorder();
    BrokerOptions options = BrokerOptions.builder().observer(observer).build();
    AssertionError error = new AssertionError("the callback fails");
    BrokerHandler handler = new BrokerHandler(
        (sink, executor) -> Broker.server(new TestRoot(), options, sink, executor),
        new BrokerHandler.Listener() {
          @Override
          public void started(Broker broker) {
            broker.notifyOnDisconnect(() -> events.add("disconnect callback"));
            throw error;
          }

          @Override
          public void ended(Channel channel) {
            events.add("ended");
          }
        });
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    channel.runPendingTasks();

    assertThat(channel.isOpen()).isFalse();
    assertThat(readAll(channel)).isEmpty(); // not even the dialect offer
    assertThat(events).containsExactly("disconnect callback", "ended");
    assertThat(observer.events).isEmpty(); // it never opened, so it did not close either
    assertThat(handler.broker()).failsWithin(Duration.ZERO)
        .withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(ConnectionLostException.class).withCause(error);
    assertThat(handler.lost()).isCompleted();
    channel.finishAndReleaseAll();
  }

  @Test
  void brokerAskedForAfterAFailedStartFails() {
    BrokerHandler handler = new BrokerHandler((sink, executor) -> {
      throw new IllegalStateException("no broker today");
    });
    EmbeddedChannel channel = new EmbeddedChannel(handler);
    channel.runPendingTasks();

    assertThat(handler.broker()).isCompletedExceptionally();
    assertThat(handler.startedBroker()).isNull();
    assertThat(handler.lost()).isCompleted();
    channel.finishAndReleaseAll();
  }

  private static EmbeddedChannel serverChannel() {
    return new EmbeddedChannel(BrokerHandler.server(new TestRoot(), BrokerOptions.DEFAULT));
  }

  /** Plays the server's side of the handshake and returns the root reference. */
  private static RemoteReference connectClient(EmbeddedChannel channel, BrokerHandler handler) {
    Broker broker = handler.broker().join();
    channel.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex(OFFER)));
    assertThat(readAll(channel)).isEqualTo(CHOOSE_PB + VERSION);
    channel.writeInbound(Unpooled.wrappedBuffer(HEX.parseHex(VERSION)));
    CompletableFuture<RemoteReference> root = broker.rootObject();
    assertThat(root).isCompleted();
    return root.join();
  }

  private static String readAll(EmbeddedChannel channel) {
    StringBuilder hex = new StringBuilder();
    ByteBuf buf;
    while ((buf = channel.readOutbound()) != null) {
      hex.append(ByteBufUtil.hexDump(buf));
      buf.release();
    }
    return hex.toString();
  }
}
