package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.Jellier;
import io.github.pb4j.jelly.JellyRegistry;
import io.github.pb4j.jelly.Tuple;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The input a connection holds for an incomplete message is charged to its own limit and to the
 * budget it shares with other connections; passing either closes that connection only, and the
 * charge is given back when the message is handled or the connection ends.
 */
class InputLimitsTest {
  public static final class Root implements Referenceable {
    @Remote
    public int count(List<?> items) {
      return items.size();
    }
  }

  private static final Jellier JELLIER =
      new Jellier(BananaEncoder.of(Dialect.PB), JellyRegistry.EMPTY, null);
  private static final ByteString ROOT = ByteString.ascii("root");
  private static final int STRING = 600 * 1024;

  /** A call of {@code count} with {@code strings} byte strings of 600 KiB. */
  private static byte[] countCall(int requestId, int strings) {
    List<ByteString> items = IntStream.range(0, strings)
        .mapToObj(i -> ByteString.of(new byte[STRING], 0, STRING))
        .toList();
    ByteBuf buf = Unpooled.buffer();
    BananaEncoder encoder = JELLIER.encoder();
    encoder.writeListHeader(buf, 7);
    encoder.writeBytes(buf, ByteString.ascii("message"));
    encoder.encode(requestId, buf);
    encoder.encode(ROOT, buf);
    encoder.writeUtf8(buf, "count");
    encoder.writeInt(buf, 1);
    JELLIER.jelly(Tuple.of(items), buf);
    JELLIER.jelly(Map.of(), buf);
    return ByteBufUtil.getBytes(buf);
  }

  /** Sends {@code bytes} in reads of 64 KiB, as a socket delivers them. */
  private static void sendInReads(ScriptedPeer peer, byte[] bytes, int from, int to) {
    for (int i = from; i < to; i += 64 * 1024) {
      peer.send(Arrays.copyOfRange(bytes, i, Math.min(to, i + 64 * 1024)));
    }
  }

  @Test
  void anIncompleteMessageIsChargedUntilItIsHandled() {
    InputBudget budget = InputBudget.of(64L << 20);
    BrokerOptions options = BrokerOptions.builder().inputBudget(budget).build();
    byte[] call = countCall(1, 4); // 2.4 MB: decoded string by string as it arrives
    try (ScriptedPeer peer = ScriptedPeer.againstServer(new Root(), options)) {
      peer.handshakeAsClient();

      sendInReads(peer, call, 0, call.length - 100);
      // Three strings decoded (charged twice: the tree and the values made from it), and the
      // bytes of the fourth.
      assertThat(budget.used()).isGreaterThan(2L * 3 * STRING + STRING / 2);

      peer.send(Arrays.copyOfRange(call, call.length - 100, call.length));
      assertThat(peer.receivedExpressions()).contains("[b'answer', 1, 4]");
      assertThat(budget.used()).as("given back once handled").isZero();
      assertThat(peer.isClosed()).isFalse();
    }
  }

  @Test
  void aMessageArrivingWholeIsNeverCharged() {
    InputBudget budget = InputBudget.of(1);
    BrokerOptions options =
        BrokerOptions.builder().inputBudget(budget).maxInputPerConnection(1).build();
    try (ScriptedPeer peer = ScriptedPeer.againstServer(new Root(), options)) {
      peer.handshakeAsClient();

      peer.send(countCall(1, 3));

      assertThat(peer.receivedExpressions()).contains("[b'answer', 1, 3]");
      assertThat(peer.isClosed()).isFalse();
    }
  }

  @Test
  void anIncompleteMessageOverTheConnectionLimitClosesTheConnection() {
    InputBudget budget = InputBudget.of(64L << 20);
    BrokerOptions options =
        BrokerOptions.builder().inputBudget(budget).maxInputPerConnection(2L << 20).build();
    byte[] call = countCall(1, 4);
    try (ScriptedPeer peer = ScriptedPeer.againstServer(new Root(), options)) {
      peer.handshakeAsClient();

      sendInReads(peer, call, 0, 3 * STRING);

      assertThat(peer.isClosed()).isTrue();
      assertThat(peer.receivedExpressions()).noneMatch(e -> e.startsWith("[b'answer'"));
      assertThat(budget.used()).isZero();
    }
  }

  @Test
  void theSharedBudgetClosesOnlyTheConnectionThatWouldPassIt() {
    InputBudget budget = InputBudget.of(5L << 20);
    BrokerOptions options = BrokerOptions.builder().inputBudget(budget).build();
    byte[] call = countCall(1, 4);
    try (ScriptedPeer first = ScriptedPeer.againstServer(new Root(), options);
        ScriptedPeer second = ScriptedPeer.againstServer(new Root(), options);
        ScriptedPeer small = ScriptedPeer.againstServer(new Root(), options)) {
      first.handshakeAsClient();
      second.handshakeAsClient();
      small.handshakeAsClient();
      // Two strings decoded, charged twice (2.4 MB), and the bytes of the third.
      sendInReads(first, call, 0, 3 * STRING);
      long firstHolds = budget.used();
      assertThat(firstHolds).isGreaterThan(3L << 20);

      sendInReads(second, call, 0, 3 * STRING); // would pass 5 MiB

      assertThat(second.isClosed()).isTrue();
      assertThat(budget.used()).isEqualTo(firstHolds);
      small.send(countCall(7, 1)); // whole in one read: served however full the budget is
      assertThat(small.receivedExpressions()).contains("[b'answer', 7, 1]");
      sendInReads(first, call, 3 * STRING, call.length);
      assertThat(first.receivedExpressions()).contains("[b'answer', 1, 4]");
      assertThat(first.isClosed()).isFalse();
      assertThat(budget.used()).isZero();
    }
  }

  @Test
  void aClientSaysWhyItDroppedAServerThatSentTooMuch() throws Exception {
    BrokerOptions options = BrokerOptions.builder()
        .inputBudget(InputBudget.of(64L << 20))
        .maxInputPerConnection(1L << 20)
        .build();
    try (ScriptedPeer server = ScriptedPeer.againstClient(options)) {
      CompletableFuture<RemoteReference> root = server.broker().rootObject();
      // An endless first expression instead of a dialect offer.
      ByteBuf head = Unpooled.buffer();
      BananaEncoder none = BananaEncoder.of(Dialect.NONE);
      none.writeListHeader(head, 10);
      for (int i = 0; i < 3; i++) {
        none.writeBytes(head, ByteString.of(new byte[STRING], 0, STRING));
      }
      byte[] bytes = ByteBufUtil.getBytes(head);
      sendInReads(server, bytes, 0, bytes.length);

      assertThatThrownBy(() -> root.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(ConnectionLostException.class)
          .hasMessageContaining("input limit: an incomplete message holds")
          .hasMessageContaining("(expected: <= 1048576, BrokerOptions.maxInputPerConnection)");
    }
  }

  @Test
  void optionsRefuseNonsense() {
    assertThatThrownBy(() -> BrokerOptions.builder().maxInputPerConnection(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxInputPerConnection: 0 (expected: >= 1)");
    assertThatThrownBy(() -> InputBudget.of(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(BrokerOptions.DEFAULT.inputBudget()).isSameAs(InputBudget.process());
    assertThat(InputBudget.process().capacity()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
    assertThat(BrokerOptions.DEFAULT.maxInputPerConnection())
        .isEqualTo(Runtime.getRuntime().maxMemory() / 8);
  }

}
