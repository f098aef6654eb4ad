package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.Broker;
import io.github.pb4j.Remote;
import io.github.pb4j.Root;
import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing a server delivers what its connections have already written, as Twisted's {@code
 * loseConnection} does: answers queued behind a peer that reads slowly are not cut off.
 */
@Timeout(30)
class ServerCloseDeliversTest {
  private static final int CALLS = 8;
  private static final int STRINGS_PER_ANSWER = 20;
  private static final int STRING_SIZE = 100_000;

  /** Answers each call with 2 MB; once the last answer is written, completes {@code written}. */
  public static final class Filler implements Root {
    private final Broker broker;
    private final AtomicInteger served;
    private final CompletableFuture<Void> written;

    Filler(Broker broker, AtomicInteger served, CompletableFuture<Void> written) {
      this.broker = broker;
      this.served = served;
      this.written = written;
    }

    @Remote
    public List<ByteString> fill(int count) {
      if (served.incrementAndGet() == CALLS) {
        // Runs after this read's answers are written and flushed.
        broker.executor().execute(() -> written.complete(null));
      }
      List<ByteString> strings = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        strings.add(ByteString.of(new byte[STRING_SIZE], 0, STRING_SIZE));
      }
      return strings;
    }
  }

  @Test
  void answersQueuedBehindASlowReaderAreDeliveredBeforeTheConnectionCloses() throws Exception {
    AtomicInteger served = new AtomicInteger();
    CompletableFuture<Void> written = new CompletableFuture<>();
    PbServer server = PbServer.builder().port(0)
        .rootFactory(b -> new Filler(b, served, written)).build().start();
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(HexFormat.of().parseHex("02827062" + "028013870681")); // choose pb, version 6
      ByteBuf calls = Unpooled.buffer();
      BananaEncoder encoder = BananaEncoder.of(Dialect.PB);
      for (int id = 1; id <= CALLS; id++) {
        encoder.encode(List.of(ByteString.ascii("message"), id, ByteString.ascii("root"),
            ByteString.ascii("fill"), 1, List.of(ByteString.ascii("tuple"), STRINGS_PER_ANSWER),
            List.of(ByteString.ascii("dictionary"))), calls);
      }
      out.write(ByteBufUtil.getBytes(calls));
      out.flush();
      // 16 MB of answers, more than the socket buffers hold: most wait in the server's queue.
      written.get(20, TimeUnit.SECONDS);

      CompletableFuture<Void> closed = server.closeAsync();

      List<Object> received = readAll(socket.getInputStream());
      closed.get(20, TimeUnit.SECONDS);
      assertThat(received).hasSize(2 + CALLS); // the dialect offer, the version, every answer
      for (int i = 0; i < CALLS; i++) {
        List<?> answer = (List<?>) received.get(2 + i);
        assertThat(answer.get(0)).isEqualTo(ByteString.ascii("answer"));
        assertThat(answer.get(1)).isEqualTo(i + 1);
        assertThat((List<?>) answer.get(2)).hasSize(1 + STRINGS_PER_ANSWER); // b'list' and the strings
      }
    } finally {
      server.close();
    }
  }

  /** Reads until the server closes and decodes what came. */
  private static List<Object> readAll(InputStream in) throws Exception {
    ByteBuf bytes = Unpooled.buffer();
    byte[] chunk = new byte[64 * 1024];
    for (int n; (n = in.read(chunk)) >= 0; ) {
      bytes.writeBytes(chunk, 0, n);
    }
    BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT.withSizeLimit(1 << 20), Dialect.NONE);
    List<Object> expressions = new ArrayList<>();
    for (Object e; (e = decoder.decode(bytes)) != null; ) {
      expressions.add(e);
      if (expressions.size() == 1) {
        decoder.setDialect(Dialect.PB);
      }
    }
    return expressions;
  }
}
