package io.github.pb4j.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;

/** The blocking-socket baseline: write {@code size} bytes, read the echo, repeat, on one thread. */
final class SocketPingPong {
  private SocketPingPong() {}

  static ThreadLoad connect(int port, int size) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    OutputStream out;
    InputStream in;
    try {
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = socket.getInputStream();
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    byte[] message = new byte[size];
    byte[] echo = new byte[size];
    return new ThreadLoad(
        "socket-ping",
        () -> {
          out.write(message);
          if (in.readNBytes(echo, 0, size) != size) {
            throw new IOException("echo connection closed");
          }
        },
        socket);
  }
}
