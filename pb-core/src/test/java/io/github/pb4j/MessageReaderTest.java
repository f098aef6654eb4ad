package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.banana.SexpFormatter;
import io.github.pb4j.jelly.internal.JellyReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The reader alone: bytes in, handler events out, as OkHttp's {@code Http2Test} drives its reader.
 * Messages are written with the Banana encoder in the shapes Twisted sends.
 */
class MessageReaderTest {
  private final List<String> events = new ArrayList<>();
  private MessageReader reader = newReader();

  private MessageReader newReader() {
    MessageReader[] self = new MessageReader[1];
    MessageReader.Handler handler = new MessageReader.Handler() {
      @Override
      public void handshake(Object expression) {
        events.add("handshake " + format(expression));
      }

      @Override
      public void message(Object requestId, Object objectId, ByteString method, boolean answerRequired,
          @Nullable Object args, @Nullable Object kwargs, boolean jellied) {
        events.add("message " + requestId + " " + format(objectId) + " " + method.toStringUtf8() + " "
            + answerRequired + " " + values(args, kwargs, jellied));
      }

      @Override
      public void cacheMessage(Object requestId, Object cacheId, ByteString method, boolean answerRequired,
          Object args, Object kwargs) {
        events.add("cacheMessage " + requestId + " " + cacheId + " " + method.toStringUtf8());
      }

      @Override
      public void answer(int requestId, @Nullable Object body, boolean jellied) {
        events.add("answer " + requestId + " " + (jellied ? "jellied " + format(body) : "read " + read(body)));
      }

      @Override
      public void error(int requestId, Object body) {
        events.add("error " + requestId + " " + format(body));
      }

      @Override
      public void decref(int luid) {
        events.add("decref " + luid);
      }

      @Override
      public void decache(Object luid) {
        events.add("decache " + luid);
      }

      @Override
      public void uncache(Object luid) {
        events.add("uncache " + luid);
      }

      @Override
      public void protocolError(String reason) {
        events.add("protocolError " + reason);
        self[0].stop(); // as the broker does: it closes the connection
      }
    };
    self[0] = new MessageReader(handler, 1, BrokerOptions.DEFAULT, new FrameLog());
    return self[0];
  }

  /** Plain values read in one pass and jellied ones name the same call: show both alike. */
  private static String values(@Nullable Object args, @Nullable Object kwargs, boolean jellied) {
    return jellied ? "jellied " + format(args) + " " + format(kwargs) : "read " + read(args) + " " + read(kwargs);
  }

  /** A value read in one pass, its remote references put in place as {@link Remote}s. */
  private static @Nullable Object read(@Nullable Object value) {
    if (value instanceof JellyReader.WithReferences pending) {
      return pending.resolve((tag, luid) -> tag.toStringUtf8().equals("local") ? new Local(luid) : new Remote(luid));
    }
    return value;
  }

  /** Stands for the reference the broker would resolve. */
  private record Remote(int luid) {}

  private record Local(int luid) {}

  private static String format(@Nullable Object sexp) {
    return sexp == null ? "None" : SexpFormatter.format(sexp);
  }

  private static ByteString b(String s) {
    return ByteString.utf8(s);
  }

  private static byte[] encode(Dialect dialect, Object... expressions) {
    BananaEncoder encoder = new BananaEncoder(dialect, BananaLimits.DEFAULT);
    ByteBuf buf = Unpooled.buffer();
    for (Object e : expressions) {
      encoder.encode(e, buf);
    }
    return ByteBufUtil.getBytes(buf);
  }

  private void open() {
    reader.open(Dialect.PB, encode(Dialect.PB, List.of(b("dictionary"))));
  }

  private void feed(byte[] bytes) {
    reader.receive(Unpooled.wrappedBuffer(bytes));
  }

  private static Object call(int id, String method, Object... args) {
    List<Object> tuple = new ArrayList<>();
    tuple.add(b("tuple"));
    tuple.addAll(List.of(args));
    return List.of(b("message"), id, b("root"), b(method), 1, tuple, List.of(b("dictionary")));
  }

  @Test
  void beforeTheHandshakeEveryExpressionIsTheHandshake() {
    feed(encode(Dialect.NONE, List.of(b("pb"), b("none"))));
    assertThat(events).containsExactly("handshake [b'pb', b'none']");
  }

  @Test
  void plainCallIsReadInOnePass() {
    open();
    feed(encode(Dialect.PB, call(7, "echo", 1, b("x"))));
    assertThat(events).containsExactly("message 7 b'root' echo true read (1, b'x') {}");
    assertThat(reader.onePassReads()).isEqualTo(1);
  }

  @Test
  void callWithRemoteReferencesIsReadInOnePass() {
    open();
    // The shape of a login's respond: (response, mind), and references deeper in the arguments.
    feed(encode(Dialect.PB,
        call(3, "respond", b("x"), List.of(b("remote"), 5)),
        call(4, "take", List.of(b("list"), 1, List.of(b("remote"), 6)),
            List.of(b("dictionary"), List.of(b("k"), List.of(b("remote"), 5)))),
        List.of(b("answer"), 3, List.of(b("remote"), 7)),
        call(5, "take", List.of(b("local"), 2))));
    assertThat(events).containsExactly(
        "message 3 b'root' respond true read (b'x', <Remote[luid=5]>) {}",
        "message 4 b'root' take true read ([1, <Remote[luid=6]>], {b'k': <Remote[luid=5]>}) {}",
        "answer 3 read Remote[luid=7]",
        "message 5 b'root' take true read (<Local[luid=2]>,) {}");
    assertThat(reader.onePassReads()).isEqualTo(4);
  }

  @Test
  void referencesTheOnePassReaderLeavesToTheUnjellier() {
    open();
    feed(encode(Dialect.PB,
        // a reference as a dict key, a luid that is not an int, a reference beside a set
        call(1, "take", List.of(b("dictionary"), List.of(List.of(b("remote"), 5), 1))),
        call(2, "take", List.of(b("remote"), b("x"))),
        call(3, "take", List.of(b("remote"), 5), List.of(b("set"), 1))));
    assertThat(events).containsExactly(
        "message 1 b'root' take true jellied [b'tuple', [b'dictionary', [[b'remote', 5], 1]]] [b'dictionary']",
        "message 2 b'root' take true jellied [b'tuple', [b'remote', b'x']] [b'dictionary']",
        "message 3 b'root' take true jellied [b'tuple', [b'remote', 5], [b'set', 1]] [b'dictionary']");
    assertThat(reader.onePassReads()).isZero();
  }

  @Test
  void answersErrorsAndSmallCommands() {
    open();
    feed(encode(Dialect.PB,
        List.of(b("answer"), 1, 42),
        List.of(b("error"), 2, b("boom")),
        List.of(b("decref"), 9),
        List.of(b("decache"), 4),
        List.of(b("uncache"), 5),
        List.of(b("version"), 6),
        List.of(b("cachemessage"), 8, 4, b("m"), 1, List.of(b("tuple")), List.of(b("dictionary")))));
    assertThat(events).containsExactly(
        "answer 1 read 42", "error 2 b'boom'", "decref 9", "decache 4", "uncache 5", "cacheMessage 8 4 m");
  }

  @Test
  void everySplitGivesTheSameEvents() {
    byte[] traffic = encode(Dialect.PB,
        call(1, "echo", b("a".repeat(300)), 2),
        List.of(b("answer"), 1, List.of(b("list"), 1, 2)),
        call(2, "take", List.of(b("remote"), 5)),
        List.of(b("decref"), 3));
    open();
    feed(traffic);
    List<String> whole = List.copyOf(events);
    assertThat(whole).hasSize(4);
    for (int split = 1; split < traffic.length; split++) {
      events.clear();
      reader = newReader();
      open();
      feed(java.util.Arrays.copyOfRange(traffic, 0, split));
      feed(java.util.Arrays.copyOfRange(traffic, split, traffic.length));
      assertThat(events).as("split at %d", split).isEqualTo(whole);
    }
  }

  @Test
  void byteByByteReadsPlainMessagesInOnePass() {
    open();
    for (byte x : encode(Dialect.PB, call(1, "echo", b("hello")), List.of(b("answer"), 1, 5))) {
      feed(new byte[] {x});
    }
    assertThat(events).containsExactly("message 1 b'root' echo true read (b'hello',) {}", "answer 1 read 5");
    assertThat(reader.onePassReads()).isEqualTo(2);
  }

  @Test
  void envelopeErrorsAreProtocolErrors() {
    Map<Object, String> cases = new java.util.LinkedHashMap<>();
    cases.put(List.of(b("bogus"), 1), "protocolError unknown command b'bogus'");
    cases.put(List.of(b("answer"), 1), "protocolError answer fields: 2 (expected: 3)");
    cases.put(List.of(b("message"), 1, b("root"), 5, 1, List.of(b("tuple")), List.of(b("dictionary"))),
        "protocolError method name: 5 (expected: bytes)");
    cases.put(List.of(b("answer"), b("x"), 1), "protocolError answer to unknown request id b'x'");
    cases.put(List.of(b("decref"), b("x")), "protocolError decref of b'x' (expected: an exported luid)");
    cases.put(List.of(b("version"), 5), "protocolError version: 5 (expected: 6)");
    cases.put(7, "protocolError message: 7 (expected: [command, ...])");
    cases.forEach((message, expected) -> {
      events.clear();
      reader = newReader();
      open();
      feed(encode(Dialect.PB, message, List.of(b("decref"), 1)));
      assertThat(events).as("%s", message).containsExactly(expected); // nothing read after it
    });
  }

  @Test
  void malformedBananaIsAProtocolError() {
    open();
    feed(new byte[] {(byte) 0x88});
    assertThat(events).hasSize(1);
    assertThat(events.get(0)).startsWith("protocolError malformed banana: ");
  }

  @Test
  void invalidUtf8MethodNameIsAProtocolError() {
    open();
    ByteString bad = ByteString.of(new byte[] {(byte) 0xff});
    feed(encode(Dialect.PB, List.of(b("message"), 1, b("root"), bad, 1, List.of(b("tuple")), List.of(b("dictionary")))));
    assertThat(events).containsExactly("protocolError method name: b'\\xff' (expected: UTF-8)");
  }
}
