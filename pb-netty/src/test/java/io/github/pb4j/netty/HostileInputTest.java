package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.banana.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Raw bytes from a plain socket: an attack closes only the attacker's connection while a client
 * connected meanwhile keeps working; a well-formed byte stream written in one go is served.
 */
@Timeout(20)
class HostileInputTest {
  private static final HexFormat HEX = HexFormat.of();
  /** {@code [b'pb', b'none']} in the none dialect, then {@code [b'version', 6]} in pb. */
  private static final String SERVER_GREETING =
      "0280" + "02827062" + "04826e6f6e65" + "028013870681";

  private PbServer server;
  private PbClient bystander;
  private RemoteReference bystanderRoot;

  @BeforeEach
  void start() throws Exception {
    server = PbServer.builder().port(0).root(new TestRoot()).build().start();
    bystander = PbClient.builder().host("127.0.0.1").port(server.port()).build();
    bystanderRoot = bystander.getRootObject().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() {
    bystander.close();
    server.close();
  }

  @Test
  void garbageBytesCloseOnlyThatConnection() throws Exception {
    // An HTTP request: ASCII only, so it reads as one over-long Banana length prefix.
    byte[] http = ("GET / HTTP/1.1\r\nHost: example.com\r\n"
        + "User-Agent: curl/8.0\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    assertAttackClosesConnection(http);
  }

  @Test
  void aClientThatNeverFinishesTheHandshakeIsDroppedAndOthersGoOn() throws Exception {
    BrokerOptions quick = BrokerOptions.builder().handshakeTimeout(Duration.ofMillis(200)).build();
    try (PbServer server = PbServer.builder().port(0).root(new TestRoot()).options(quick).build().start();
        PbClient client = PbClient.builder().host("127.0.0.1").port(server.port()).build()) {
      RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
      try (Socket silent = new Socket("127.0.0.1", server.port())) {
        silent.setSoTimeout(10_000);

        assertClosedByServer(silent); // having sent nothing at all
      }
      assertThat(root.callRemote("echo", "fine").get(10, TimeUnit.SECONDS)).isEqualTo("fine");
    }
  }

  @Test
  void unknownTypeByteClosesOnlyThatConnection() throws Exception {
    assertAttackClosesConnection(HEX.parseHex("01ff"));
  }

  @Test
  void unknownTypeByteAfterHandshakeClosesOnlyThatConnection() throws Exception {
    assertAttackClosesConnection(HEX.parseHex("02827062" + "028013870681" + "0190"));
  }

  @Test
  void oversizeListClosesOnlyThatConnection() throws Exception {
    // A list header claiming 1,000,000,000 elements, far above the 640 KiB size limit.
    assertAttackClosesConnection(concat(base128(1_000_000_000), HEX.parseHex("80")));
  }

  @Test
  void hugeStringLengthClosesOnlyThatConnection() throws Exception {
    assertAttackClosesConnection(concat(HEX.parseHex("02827062" + "028013870681"),
        base128(Integer.MAX_VALUE), HEX.parseHex("82")));
  }

  @Test
  void decrefOfUnknownLuidClosesOnlyThatConnection() throws Exception {
    // [b'decref', 99] after the handshake: Twisted drops such a connection too (§5.7).
    assertAttackClosesConnection(HEX.parseHex("02827062" + "028013870681" + "02801d87" + "6381"));
  }

  @Test
  void pipelinedHandshakeAndCallInOneWriteIsAnswered() throws Exception {
    byte[] request = HEX.parseHex(
        "02827062" // b'pb'
            + "028013870681" // [b'version', 6]
            // [b'message', 1, b'root', b'echo', 1, [b'tuple', 42], [b'dictionary']]
            + "07801a87" + "0181" + "0482726f6f74" + "04826563686f" + "0181"
            + "02800b872a81" + "01800587");
    try (Socket socket = rawSocket()) {
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();

      byte[] answer = socket.getInputStream().readNBytes(26);

      // The greeting, then [b'answer', 1, 42].
      assertThat(HEX.formatHex(answer)).isEqualTo(SERVER_GREETING + "03801b87" + "0181" + "2a81");
    }
  }

  private void assertAttackClosesConnection(byte[] attack) throws Exception {
    try (Socket socket = rawSocket()) {
      socket.getOutputStream().write(attack);
      socket.getOutputStream().flush();

      assertClosedByServer(socket);
    }
    assertThat(bystanderRoot.callRemote("echo", "still here").get(10, TimeUnit.SECONDS))
        .isEqualTo("still here");
    assertThat(bystanderRoot.callRemote("echo", ByteString.utf8("x")).get(10, TimeUnit.SECONDS))
        .isEqualTo(ByteString.utf8("x"));
  }

  private Socket rawSocket() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Reads until the server closes: end of stream, or a reset if it closed with input unread. */
  private static void assertClosedByServer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[1024];
    try {
      while (in.read(buffer) >= 0) {
        // Discard the server's greeting.
      }
    } catch (SocketException e) {
      assertThat(e.getMessage()).containsIgnoringCase("reset");
    }
  }

  /** Returns {@code value} as Banana length digits: base 128, least significant first. */
  private static byte[] base128(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    do {
      out.write((int) (value & 0x7f));
      value >>>= 7;
    } while (value != 0);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
