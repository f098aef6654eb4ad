package io.github.pb4j.buildbot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.RemoteReference;
import io.github.pb4j.netty.PbClient;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A command's output against a master that stops reading: the producer (as {@link RunProcess}
 * reading a process's pipes) waits in {@link CommandChannel#awaitWritable} instead of queueing the
 * whole output in memory, and goes on once the master reads again.
 */
@Timeout(60)
class CommandBackpressureTest {
  private static final int CHUNK = 64 * 1024;
  private static final int CHUNKS = 2_000; // 128 MiB: far more than any socket buffer holds
  /** Kernel buffers of both ends, Netty's high water mark and a batch, with room to spare. */
  private static final long BOUND = 48L << 20;

  @Test
  void aProducerWaitsWhileTheMasterDoesNotReadAndGoesOnWhenItDoes() throws Exception {
    String line = "x".repeat(99) + "\n";
    String chunk = line.repeat(CHUNK / line.length());
    ExecutorService sender = Executors.newSingleThreadExecutor();
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // A master that offers its dialects and then reads nothing until told to.
      CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
        try {
          Socket s = listener.accept();
          s.getOutputStream().write(HexFormat.of().parseHex("02800282706204826e6f6e65" + "028013870681"));
          s.getOutputStream().flush();
          return s;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      try (PbClient client = PbClient.builder().host("127.0.0.1").port(listener.getLocalPort()).build()) {
        RemoteReference command = client.getRootObject().get(10, TimeUnit.SECONDS); // connects
        Socket master = accepted.get(10, TimeUnit.SECONDS);
        CommandChannel channel = new CommandChannel(command, sender, timers);
        AtomicLong produced = new AtomicLong();
        Thread producer = new Thread(() -> {
          for (int i = 0; i < CHUNKS; i++) {
            channel.send("stdout", chunk);
            produced.addAndGet(chunk.length());
            channel.awaitWritable();
          }
        }, "producer");
        producer.start();

        // The event: the producer is parked in awaitWritable (whenWritable().get) before its end.
        while (producer.getState() != Thread.State.TIMED_WAITING && producer.isAlive()) {
          Thread.onSpinWait();
        }
        assertThat(producer.isAlive()).as("the producer waits for the master").isTrue();
        assertThat(produced.get()).as("output produced while the master does not read").isLessThan(BOUND);

        // The master reads again: everything is delivered and the producer finishes.
        CompletableFuture<Long> drained = CompletableFuture.supplyAsync(() -> {
          long total = 0;
          byte[] buf = new byte[1 << 16];
          try (InputStream in = master.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
              total += n;
              if (total >= (long) CHUNKS * CHUNK) {
                break;
              }
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          return total;
        });
        producer.join(TimeUnit.SECONDS.toMillis(40));
        assertThat(producer.isAlive()).as("the producer finished once the master read").isFalse();
        assertThat(produced.get()).isEqualTo((long) CHUNKS * chunk.length());
        assertThat(drained.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo((long) CHUNKS * chunk.length());
        master.close();
      }
    } finally {
      sender.shutdownNow();
      timers.shutdownNow();
    }
  }
}
