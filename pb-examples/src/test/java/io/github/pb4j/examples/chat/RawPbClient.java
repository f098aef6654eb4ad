package io.github.pb4j.examples.chat;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.cred.Md5ChallengeCredentials;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A PB client written on a bare socket, message by message: it does the handshake and a cred
 * login with a mind, and can then simply stop, neither reading nor writing nor closing, which no
 * real client library can be made to do. Test code; one thread.
 */
final class RawPbClient implements AutoCloseable {
  private static final int MIND_LUID = 1;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT, Dialect.NONE);
  private final ByteBuf received = Unpooled.buffer();
  private boolean sawOffer;
  private int nextId = 1;

  RawPbClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    // The pb dialect chosen (in the none dialect), then version 6, as a Twisted client does.
    write(encode(Dialect.NONE, ByteString.ascii("pb")));
    write(encode(Dialect.PB, List.of(ByteString.ascii("version"), 6)));
  }

  private static ByteString b(String s) {
    return ByteString.ascii(s);
  }

  private static byte[] encode(Dialect dialect, Object sexp) {
    ByteBuf buf = Unpooled.buffer();
    try {
      new BananaEncoder(dialect, BananaLimits.DEFAULT).encode(sexp, buf);
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  private void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Calls {@code method} on object {@code objectId} with jellied {@code args}; returns the answer's body. */
  Object call(Object objectId, String method, Object... args) throws IOException {
    int id = nextId++;
    Object[] tuple = new Object[args.length + 1];
    tuple[0] = b("tuple");
    System.arraycopy(args, 0, tuple, 1, args.length);
    write(encode(Dialect.PB, List.of(b("message"), id, objectId, b(method), 1, List.of(tuple),
        List.of(b("dictionary")))));
    while (true) {
      Object expression = next();
      if (expression instanceof List<?> message && message.size() == 3
          && message.get(1) instanceof Integer answered && answered == id) {
        if (!b("answer").equals(message.get(0))) {
          throw new IOException(method + " failed: " + message);
        }
        return message.get(2);
      }
      // Anything else (the version, calls to the mind) is left unanswered.
    }
  }

  private Object next() throws IOException {
    byte[] buf = new byte[4096];
    while (true) {
      @Nullable Object expression = decoder.decode(received);
      if (expression != null) {
        if (!sawOffer) {
          sawOffer = true;
          decoder.setDialect(Dialect.PB);
        }
        return expression;
      }
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("connection closed by the server");
      }
      received.writeBytes(buf, 0, n);
    }
  }

  /** Logs in as {@code user} with a mind; returns the avatar's luid. */
  int login(String user, String password) throws IOException {
    List<?> challenge = (List<?>) call(b("root"), "login", ByteString.utf8(user));
    // [b'tuple', challenge, [b'remote', challengerLuid]]
    byte[] bytes = ((ByteString) challenge.get(1)).toByteArray();
    Object challenger = ((List<?>) challenge.get(2)).get(1);
    byte[] response = Md5ChallengeCredentials.respond(password.getBytes(StandardCharsets.UTF_8), bytes);
    List<?> avatar = (List<?>) call(challenger, "respond", ByteString.of(response), List.of(b("remote"), MIND_LUID));
    return (Integer) avatar.get(1);
  }

  /** Reads whatever the server sent until it closes the connection; returns the bytes read. */
  long readToEnd() throws IOException {
    long total = 0;
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) >= 0) {
      total += n;
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    received.release();
    socket.close();
  }
}
