package io.github.pb4j.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.Root;
import io.github.pb4j.banana.ByteString;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that stops reading while the application keeps sending to it is dropped once the bytes
 * queued for it pass {@link BrokerOptions#maxOutputPerConnection()}; others are served.
 */
@Timeout(60)
class OutputLimitTest {
  /** Sends {@code count} pages of 600 KiB to a listener, without waiting for anything. */
  public static final class SpewingRoot implements Root {
    @Remote
    public int spew(RemoteReference listener, int count) {
      ByteString page = ByteString.of(new byte[600 * 1024], 0, 600 * 1024);
      for (int i = 0; i < count; i++) {
        listener.callRemote("page", page);
      }
      return count;
    }

    @Remote
    public @Nullable Object echo(@Nullable Object value) {
      return value;
    }
  }

  /** The client's side of {@code spew}. */
  public static final class Listener implements Referenceable {
    @Remote
    public void page(ByteString page) {}
  }

  @Test
  void aPeerThatDoesNotReadIsDroppedPastTheOutputLimit() throws Exception {
    BrokerOptions options = BrokerOptions.builder().maxOutputPerConnection(4L << 20).build();
    CountDownLatch disconnected = new CountDownLatch(1);
    EventLoopGroup stuckGroup = Transport.best().newGroup(1, "stuck-client", true);
    CountDownLatch unstick = new CountDownLatch(1);
    try (PbServer server = PbServer.builder().port(0).root(new SpewingRoot()).options(options)
            .onConnection(b -> b.notifyOnDisconnect(disconnected::countDown))
            .build().start();
        PbClient stuck = PbClient.builder().host("127.0.0.1").port(server.port())
            .eventLoopGroup(stuckGroup).build()) {
      RemoteReference root = stuck.getRootObject().get(10, TimeUnit.SECONDS);
      root.callRemote("spew", new Listener(), 100); // 60 MB of calls back
      // The client's only event loop stops reading.
      stuckGroup.next().execute(() -> {
        try {
          unstick.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });

      assertThat(disconnected.await(20, TimeUnit.SECONDS)).as("server dropped the stuck peer").isTrue();
      try (PbClient other = PbClient.builder().host("127.0.0.1").port(server.port()).build()) {
        RemoteReference otherRoot = other.getRootObject().get(10, TimeUnit.SECONDS);
        assertThat(otherRoot.callRemote("echo", "served").get(10, TimeUnit.SECONDS)).isEqualTo("served");
      }
    } finally {
      unstick.countDown();
      stuckGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
