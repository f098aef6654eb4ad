package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.Jellier;
import io.github.pb4j.jelly.JellyRegistry;
import io.github.pb4j.jelly.Tuple;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The broker reads plain calls and answers in one pass and everything else through the Banana
 * tree; a peer must not be able to tell which path a message took. The oracle: the same bytes
 * delivered one byte at a time, which sends every message through the tree path.
 */
class BrokerReadPathTest {
  public static final class Root implements Referenceable {
    @Remote
    public @Nullable Object echo(@Nullable Object x) {
      return x;
    }

    @Remote
    public int add(int a, @Param(value = "b", defaultValue = "0") int b) {
      return a + b;
    }

    @Remote
    public String greet(String name) {
      return "hello " + name;
    }

    final List<Object> kept = new ArrayList<>();

    @Remote
    public boolean keep(RemoteReference a, @Nullable Object b) {
      kept.add(a);
      if (b != null) {
        kept.add(b);
      }
      return a == b;
    }
  }

  private static final Jellier JELLIER = new Jellier(BananaEncoder.of(Dialect.PB), JellyRegistry.EMPTY, null);

  /** A call as a Twisted client writes it, in the pb dialect. */
  private static byte[] call(Object requestId, Object objectId, String method, int answerRequired,
      List<?> args, Map<String, ?> kwargs) {
    ByteBuf buf = Unpooled.buffer();
    BananaEncoder encoder = JELLIER.encoder();
    encoder.writeListHeader(buf, 7);
    encoder.writeBytes(buf, ByteString.ascii("message"));
    encoder.encode(requestId, buf);
    encoder.encode(objectId, buf);
    encoder.writeUtf8(buf, method);
    encoder.writeInt(buf, answerRequired);
    JELLIER.jelly(Tuple.copyOf(args), buf);
    JELLIER.jelly(kwargs, buf);
    return ByteBufUtil.getBytes(buf);
  }

  private static byte[] raw(Object sexp) {
    ByteBuf buf = Unpooled.buffer();
    JELLIER.encoder().encode(sexp, buf);
    return ByteBufUtil.getBytes(buf);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static final ByteString ROOT = ByteString.ascii("root");

  /** Calls of every kind a peer may send: plain ones, ones the one-pass reader declines, bad ones. */
  private static byte[] mixedTraffic() {
    Map<String, Object> kwargs = new LinkedHashMap<>();
    kwargs.put("b", 5);
    Set<Object> set = new LinkedHashSet<>(List.of(1, 2));
    Map<Object, Object> record = new LinkedHashMap<>();
    record.put("name", "item-1");
    record.put(7, List.of(1.5, true, ByteString.ascii("list")));
    List<Object> shared = new ArrayList<>(List.of(1));
    return concat(
        call(1, ROOT, "echo", 1, List.of("hello"), Map.of()),
        call(2, ROOT, "echo", 1, List.of(set), Map.of()), // a set: the tree path
        call(3, ROOT, "add", 1, List.of(1), kwargs),
        call(4, ROOT, "echo", 1, List.of(record), Map.of()),
        call(5, ROOT, "echo", 1, List.of(List.of(shared, shared)), Map.of()), // references
        call(6, ROOT, "greet", 1, List.of(ByteString.ascii("x")), Map.of()), // bytes for a str
        call(7, ROOT, "nosuch", 1, List.of(), Map.of()),
        call(8, 99, "echo", 1, List.of(1), Map.of()), // unknown object id
        call(9, ROOT, "add", 1, List.of(1, 2, 3), Map.of()), // too many arguments
        call(10, ROOT, "echo", 0, List.of("no answer"), Map.of()),
        raw(List.of(ByteString.ascii("message"), 11, ROOT, ByteString.ascii("echo"), 1,
            List.of(ByteString.ascii("list"), 1), List.of(ByteString.ascii("dictionary")))), // args not a tuple
        call(12, ROOT, "echo", 1, List.of(Long.MAX_VALUE, -1L << 40, "\u00e9t\u00e9"), Map.of()),
        call(13, ROOT, "echo", 1, List.of(new java.math.BigInteger("123456789012345678901234567890")), Map.of()));
  }

  private static List<String> answersTo(byte[] traffic, boolean byteByByte) {
    return answersTo(traffic, byteByByte, new long[1]);
  }

  private static List<String> answersTo(byte[] traffic, boolean byteByByte, long[] onePass) {
    return answersTo(traffic, byteByByte, onePass, true);
  }

  private static List<String> answersTo(byte[] traffic, boolean byteByByte, long[] onePass, boolean onePassAllowed) {
    try (ScriptedPeer peer = ScriptedPeer.againstServer(new Root())) {
      if (!onePassAllowed) {
        peer.run(() -> BrokerTestAccess.disableOnePassReading(peer.broker()));
      }
      peer.handshakeAsClient();
      if (byteByByte) {
        for (byte b : traffic) {
          peer.send(new byte[] {b});
        }
      } else {
        peer.send(traffic);
      }
      assertThat(peer.isClosed()).isFalse();
      onePass[0] = peer.call(() -> BrokerTestAccess.onePassReads(peer.broker()));
      // A failure's count numbers every failure made in the process, as Twisted's does.
      return peer.receivedExpressions().stream()
          .map(e -> e.replaceAll("b'count'\\], \\d+\\]", "b'count'], N]"))
          .toList();
    }
  }

  @Test
  void oneByteAtATimeOrWholeTheAnswersAreTheTreePaths() {
    byte[] traffic = mixedTraffic();
    long[] onePass = new long[1];
    List<String> treePath = answersTo(traffic, false, onePass, false);
    assertThat(onePass[0]).as("read in one pass, one-pass reading disabled").isZero();
    List<String> whole = answersTo(traffic, false, onePass);
    // All but the set, the shared list and the big integer.
    assertThat(onePass[0]).as("read in one pass, whole").isEqualTo(10);
    assertThat(whole).isEqualTo(treePath);
    List<String> oneByOne = answersTo(traffic, true, onePass);
    // A message arriving in pieces is kept until whole, then read in one pass too.
    assertThat(onePass[0]).as("read in one pass, byte by byte").isEqualTo(10);
    assertThat(oneByOne).isEqualTo(treePath);
    // Dialect offer, version, and an answer or error for each call but the one with no answer.
    assertThat(whole).hasSize(2 + 12);
    assertThat(whole).contains("[b'answer', 1, [b'unicode', b'hello']]", "[b'answer', 3, 6]");
    assertThat(whole).anySatisfy(e -> assertThat(e).startsWith("[b'error', 6, ").contains("expected: str"));
    assertThat(whole.get(3)).startsWith("[b'answer', 2, [b'set'");
  }

  private static List<Object> remote(int luid) {
    return List.of(ByteString.ascii("remote"), luid);
  }

  private static byte[] rawCall(int requestId, Object objectId, String method, Object... args) {
    List<Object> tuple = new ArrayList<>();
    tuple.add(ByteString.ascii("tuple"));
    tuple.addAll(java.util.Arrays.asList(args));
    return raw(List.of(ByteString.ascii("message"), requestId, objectId, ByteString.ascii(method), 1, tuple,
        List.of(ByteString.ascii("dictionary"))));
  }

  @Test
  void remoteReferencesInArgumentsAreReadInOnePassAndImportedAsTheUnjellierDoes() {
    byte[] traffic = concat(
        rawCall(1, ROOT, "keep", remote(5), remote(5)), // a login's respond has one like these
        rawCall(2, ROOT, "keep", remote(6), List.of(ByteString.ascii("list"), 1, remote(6))),
        rawCall(3, 99, "keep", remote(7), List.of(ByteString.ascii("None"))), // unknown object: no import
        rawCall(4, ROOT, "nosuch", remote(8)), // imported, as Twisted unserializes before the lookup
        rawCall(5, ROOT, "keep", 1, remote(9)), // bad argument after a reference: imported too
        rawCall(6, ROOT, "keep", remote(10), List.of(ByteString.ascii("local"), 42))); // unknown local
    List<List<Object>> outcomes = new ArrayList<>();
    for (boolean onePassAllowed : new boolean[] {false, true}) {
      Root root = new Root();
      try (ScriptedPeer peer = ScriptedPeer.againstServer(root)) {
        if (!onePassAllowed) {
          peer.run(() -> BrokerTestAccess.disableOnePassReading(peer.broker()));
        }
        peer.handshakeAsClient();
        peer.send(traffic);
        assertThat(peer.isClosed()).isFalse();
        long onePass = peer.call(() -> BrokerTestAccess.onePassReads(peer.broker()));
        assertThat(onePass).isEqualTo(onePassAllowed ? 6 : 0);
        // (a reference imported by a failed call is released when collected: its decref left out)
        List<Object> outcome = new ArrayList<>(peer.receivedExpressions().stream()
            .filter(e -> !e.startsWith("[b'decref'"))
            .map(e -> e.replaceAll("b'count'\\], \\d+\\]", "b'count'], N]"))
            .toList());
        outcome.add(peer.call(() -> BrokerTestAccess.importedCount(peer.broker())));
        outcome.add(peer.call(() -> root.kept.stream()
            .map(r -> r instanceof RemoteReference ref ? ref.luid() + "x" + ref.holder().count : "list")
            .toList()));
        outcomes.add(outcome);
      }
    }
    assertThat(outcomes.get(1)).isEqualTo(outcomes.get(0));
    assertThat(outcomes.get(1)).contains("[b'answer', 1, [b'boolean', b'true']]",
        "[b'answer', 2, [b'boolean', b'false']]", List.of("5x2", "5x2", "6x2", "list"));
    assertThat(outcomes.get(1)).anySatisfy(e -> assertThat(e.toString())
        .startsWith("[b'error', 6, ").contains("local reference to unknown object 42"));
    // 5 and 6 held; 8, 9 and 10 imported by calls that failed, until collected.
    assertThat((Integer) outcomes.get(1).get(outcomes.get(1).size() - 2)).isBetween(2, 5);
  }

  @Test
  void aMessageCrossingTheReadersWindowInOneLargeReadIsAnsweredAtOnce() {
    // Three calls in one receive of 1.2 MB: the second crosses the 1 MiB window of the one-pass
    // reader, with the rest of it already there; nothing is waited for.
    ByteString big = ByteString.of(new byte[600_000], 0, 600_000);
    byte[] traffic = concat(
        call(1, ROOT, "echo", 1, List.of(big), Map.of()),
        call(2, ROOT, "echo", 1, List.of(big), Map.of()),
        call(3, ROOT, "echo", 1, List.of("last"), Map.of()));
    try (ScriptedPeer peer = ScriptedPeer.againstServer(new Root())) {
      peer.handshakeAsClient();
      peer.send(traffic);

      List<String> received = peer.receivedExpressions();
      assertThat(received).hasSize(2 + 3);
      assertThat(received.get(4)).isEqualTo("[b'answer', 3, [b'unicode', b'last']]");
    }
  }

  @Test
  void aMessageOverTheSizeLimitIsRefusedNotWaitedFor() {
    BrokerOptions small = BrokerOptions.builder()
        .bananaLimits(io.github.pb4j.banana.BananaLimits.DEFAULT.withMaxMessageBytes(64 * 1024))
        .build();
    byte[] call = call(1, ROOT, "echo", 1, List.of(ByteString.of(new byte[100_000], 0, 100_000)), Map.of());
    try (ScriptedPeer peer = ScriptedPeer.againstServer(new Root(), small)) {
      peer.handshakeAsClient();
      peer.send(call);

      assertThat(peer.isClosed()).isTrue();
    }
    try (ScriptedPeer peer = ScriptedPeer.againstServer(new Root(), small)) {
      peer.handshakeAsClient();
      peer.send(java.util.Arrays.copyOfRange(call, 0, 50_000)); // in two reads

      peer.send(java.util.Arrays.copyOfRange(call, 50_000, call.length));
      assertThat(peer.isClosed()).isTrue();
    }
  }

  @Test
  void aCallSplitAnywhereIsAnsweredOnce() {
    byte[] call = call(1, ROOT, "echo", 1, List.of(List.of("a", 2.5, Map.of("k", true))), Map.of());
    String expected = null;
    for (int split = 0; split <= call.length; split++) {
      try (ScriptedPeer peer = ScriptedPeer.againstServer(new Root())) {
        peer.handshakeAsClient();
        peer.send(java.util.Arrays.copyOfRange(call, 0, split));
        peer.send(java.util.Arrays.copyOfRange(call, split, call.length));
        List<String> received = peer.receivedExpressions();
        assertThat(received).as("split at %d", split).hasSize(3);
        if (expected == null) {
          expected = received.get(2);
          assertThat(expected).startsWith("[b'answer', 1, [b'list', [b'unicode', b'a'], 2.5, [b'dictionary'");
        }
        assertThat(received.get(2)).as("split at %d", split).isEqualTo(expected);
      }
    }
  }

  @Test
  void answersReadInOnePassCompleteTheirCalls() {
    try (LoopbackPair pair = LoopbackPair.create(new Root())) {
      RemoteReference root = pair.root();
      List<java.util.concurrent.CompletableFuture<@Nullable Object>> calls = new ArrayList<>();
      Map<Object, Object> record = new LinkedHashMap<>();
      record.put("id", 3);
      record.put(Tuple.of(1, "x"), null);
      calls.add(root.callRemote("echo", record));
      calls.add(root.callRemote("echo", new LinkedHashSet<>(List.of(1)))); // the tree path
      calls.add(root.callRemote("add", 2, 3));
      assertThat(calls.get(0).join()).isEqualTo(record);
      assertThat(calls.get(1).join()).isEqualTo(Set.of(1));
      assertThat(calls.get(2).join()).isEqualTo(5);
      // A received dict is mutable and keeps wire order.
      @SuppressWarnings("unchecked")
      Map<Object, Object> received = (Map<Object, Object>) calls.get(0).join();
      received.put("more", 1);
      assertThat(received.keySet()).containsExactly("id", Tuple.of(1, "x"), "more");
    }
  }
}
