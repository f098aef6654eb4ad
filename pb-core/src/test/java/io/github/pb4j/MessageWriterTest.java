package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.Tuple;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The writer alone: its bytes against what Twisted 22.4 wrote in the same situation (the
 * transcripts of {@code pb-sessions.json}, named by session and message number).
 */
class MessageWriterTest {
  private final RecordingSink sink = new RecordingSink();
  private final ExportTable exports = new ExportTable(BrokerOptions.DEFAULT_MAX_BROKER_REFS);
  private final MessageWriter writer = newWriter();

  private MessageWriter newWriter() {
    // No broker: the tables serve plain values only; references are FlavoursTest's business.
    return new MessageWriter(1, BrokerOptions.DEFAULT, sink, exports, new CacheTables(null, exports),
        new Flavors(null, exports, new ImportTable(), null), new FrameLog());
  }

  @Test
  void handshakeAsTwistedWritesIt() {
    writer.sendDialectOffer(List.of(Dialect.PB, Dialect.NONE));
    writer.sendDialectChoice(Dialect.PB);
    writer.setDialect(Dialect.PB);
    writer.sendVersion();
    // a_root_call #1, #2, #3
    assertThat(sink.written())
        .containsExactly("02800282706204826e6f6e65", "02827062", "028013870681");
  }

  @Test
  void callAsTwistedWritesIt() {
    writer.setDialect(Dialect.PB);
    writer.send(writer.encodeCall(BrokerCommand.MESSAGE, 1, ExportTable.ROOT, "add", true, List.of(2), Map.of("b", 3)));
    writer.send(writer.encodeCall(BrokerCommand.MESSAGE, 3, 2, "echo", true, List.of("hello"), Map.of()));
    writer.send(writer.encodeCall(BrokerCommand.MESSAGE, 1, ExportTable.ROOT, "login", true,
        List.of(ByteString.utf8("alice")), Map.of()));
    assertThat(sink.written()).containsExactly(
        // a_root_call #5
        "07801a8701810482726f6f740382616464018102800b87028102800587028002800782756e69636f64650182620381",
        // b_cred_login #10
        "07801a870381028104826563686f018102800b8702800782756e69636f6465058268656c6c6f01800587",
        // b_cred_login #4
        "07801a8701810482726f6f741487018102800b870582616c69636501800587");
  }

  @Test
  void answersAsTwistedWritesThem() {
    writer.setDialect(Dialect.PB);
    writer.send(writer.encodeAnswer(1, 5, null));
    writer.send(writer.encodeAnswer(2, Tuple.of("pong", 1), null));
    writer.send(writer.encodeAnswer(3, true, null));
    assertThat(sink.written()).containsExactly(
        "03801b8701810581", // a_root_call #6
        "03801b87028103800b8702800782756e69636f64650482706f6e670181", // e_flavours #8
        "03801b87038102800782626f6f6c65616e048274727565"); // e_flavours #10
  }

  @Test
  void smallCommands() {
    writer.setDialect(Dialect.PB);
    writer.sendCommand(BrokerCommand.DECREF, 1);
    assertThat(sink.written()).containsExactly("02801d870181"); // b_cred_login #8
  }

  @Test
  void batchFlushesOnceAtItsEnd() {
    writer.setDialect(Dialect.PB);
    writer.beginBatch();
    writer.sendVersion();
    writer.sendCommand(BrokerCommand.DECREF, 1);
    assertThat(sink.flushes()).isZero();
    writer.endBatch();
    assertThat(sink.flushes()).isOne();
    writer.sendVersion();
    assertThat(sink.flushes()).isEqualTo(2);
  }

  @Test
  void aMessageThatCannotBeEncodedSendsAndExportsNothing() {
    writer.setDialect(Dialect.PB);
    int before = exports.size();
    assertThatThrownBy(() -> writer.encodeAnswer(1, List.of(new Object()), null))
        .isInstanceOf(RuntimeException.class);
    assertThat(sink.written()).isEmpty();
    assertThat(exports.size()).isEqualTo(before);
    assertThat(writer.isEncoding()).isFalse();
    writer.send(writer.encodeAnswer(1, 5, null)); // and the writer goes on
    assertThat(sink.written()).containsExactly("03801b8701810581");
  }

  @Test
  void sendsMadeWhileEncodingWaitForTheMessage() {
    writer.setDialect(Dialect.PB);
    List<String> order = new ArrayList<>();
    Copyable copyable = new Copyable() {
      @Override
      public String copyTypeName() {
        return "T";
      }

      @Override
      public Object stateToCopyFor(Object perspective) {
        writer.defer(() -> order.add("deferred"));
        writer.sendDeferred(); // must not run it: a message is being encoded
        order.add("encoded");
        return 1;
      }
    };
    ByteBuf message = writer.encodeAnswer(1, copyable, "alice");
    assertThat(order).containsExactly("encoded");
    writer.send(message);
    writer.sendDeferred();
    assertThat(order).containsExactly("encoded", "deferred");
  }
}
