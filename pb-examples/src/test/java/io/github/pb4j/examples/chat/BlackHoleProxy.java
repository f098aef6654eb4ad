package io.github.pb4j.examples.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 that can turn into a black hole: after {@link #blackHole()} it stops
 * reading and forwarding in both directions, and never closes, as a link whose far end vanished
 * (a pulled cable, a suspended laptop, a NAT that forgot the flow) looks to both ends. Test code:
 * one thread per direction.
 *
 * <p><em>Thread-safe.</em>
 */
final class BlackHoleProxy implements AutoCloseable {
  private final ServerSocket listening;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean blackHole;

  BlackHoleProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "black-hole-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listening.getLocalPort();
  }

  /** From now on nothing is read or forwarded either way; the sockets stay open. */
  void blackHole() {
    blackHole = true;
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = listening.accept();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream, "black-hole-up");
        pump(upstream, client, "black-hole-down");
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void pump(Socket from, Socket to, String name) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try {
        // Not closed here: closing a socket's stream closes the socket, which a black hole never does.
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while (!blackHole && (n = in.read(buf)) >= 0) {
          if (blackHole) {
            return; // swallowed; and nothing more is read
          }
          out.write(buf, 0, n);
          out.flush();
        }
        if (!blackHole) {
          to.shutdownOutput();
        }
      } catch (IOException e) {
        // closed
      }
    }, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listening.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
