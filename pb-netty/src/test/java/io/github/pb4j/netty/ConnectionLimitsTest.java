package io.github.pb4j.netty;

import static io.github.pb4j.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.pb4j.Broker;
import io.github.pb4j.BrokerOptions;
import io.github.pb4j.PbObserver;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** Connection limits and the limit on calls in progress, over real sockets. */
@Timeout(30)
class ConnectionLimitsTest {
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private final PbObserver observer = new PbObserver() {
    @Override
    public void connectionRefused(SocketAddress peer, String reason) {
      refusals.add(reason);
    }
  };

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  private PbServer server(int total, int perAddress) {
    return track(PbServer.builder().port(0).root(new TestRoot()).maxConnections(total)
        .maxConnectionsPerAddress(perAddress).observer(observer).build().start());
  }

  private Socket connect(PbServer server, String from) throws IOException {
    Socket socket = track(new Socket());
    socket.setSoTimeout(10_000);
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
    return socket;
  }

  /** An accepted connection hears the server's dialect offer; a refused one is closed at once. */
  private static boolean accepted(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    return in.read() != -1;
  }

  @Test
  void refusesConnectionsPastTheTotalAndAcceptsAgainOnceOneCloses() throws Exception {
    PbServer server = server(2, 100);
    Socket first = connect(server, "127.0.0.1");
    assertThat(accepted(first)).isTrue();
    assertThat(accepted(connect(server, "127.0.0.2"))).isTrue();

    assertThat(accepted(connect(server, "127.0.0.3"))).isFalse();
    assertThat(refusals).containsExactly("max-connections");

    first.close();
    awaitOpenConnections(server, 1);
    assertThat(accepted(connect(server, "127.0.0.3"))).isTrue();
  }

  @Test
  void refusesConnectionsPastThePerAddressLimitOnlyForThatAddress() throws Exception {
    PbServer server = server(100, 2);
    assertThat(accepted(connect(server, "127.0.0.1"))).isTrue();
    assertThat(accepted(connect(server, "127.0.0.1"))).isTrue();

    assertThat(accepted(connect(server, "127.0.0.1"))).isFalse();
    assertThat(accepted(connect(server, "127.0.0.2"))).isTrue();
    assertThat(refusals).containsExactly("max-connections-per-address");

    // A Java client refused by the limit fails to get the root object, it does not hang.
    PbClient client = track(PbClient.builder().host("127.0.0.1").port(server.port()).build());
    assertThat(client.getRootObject()).failsWithin(10, TimeUnit.SECONDS);
  }

  @Test
  void logsRefusalsOfOneAddressOncePerMinute() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(PbServer.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      PbServer server = server(100, 1);
      assertThat(accepted(connect(server, "127.0.0.1"))).isTrue();
      for (int i = 0; i < 5; i++) {
        assertThat(accepted(connect(server, "127.0.0.1"))).isFalse();
      }
      assertThat(accepted(connect(server, "127.0.0.2"))).isTrue();
      assertThat(accepted(connect(server, "127.0.0.2"))).isFalse();

      assertThat(refusals).hasSize(6);
      List<String> warnings = appender.list.stream()
          .filter(e -> e.getLevel() == Level.WARN)
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
      assertThat(warnings).hasSize(2);
      assertThat(warnings.get(0))
          .contains("refused connections from 127.0.0.1")
          .contains("at most 1 connections from one address")
          .contains("maxConnectionsPerAddress");
      assertThat(warnings.get(1)).contains("127.0.0.2");
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void stopsReadingWhileThePeerHasTooManyCallsInProgress() throws Exception {
    Slow slow = new Slow();
    AtomicInteger received = new AtomicInteger();
    PbObserver counting = new PbObserver() {
      @Override
      public void callReceived(Broker broker) {
        received.incrementAndGet();
      }
    };
    PbServer server = track(PbServer.builder().port(0).root(slow)
        .options(BrokerOptions.builder().maxCallsInProgress(2).build()).observer(counting)
        .build().start());
    RemoteReference root =
        await(track(PbClient.builder().host("127.0.0.1").port(server.port()).build()).getRootObject());

    CompletableFuture<Object> first = root.callRemote("hold", 1);
    awaitCount(received, 1);
    CompletableFuture<Object> second = root.callRemote("hold", 2);
    awaitCount(received, 2);
    CompletableFuture<Object> third = root.callRemote("hold", 3);
    // Reading has stopped: the third call stays in the socket while two are in progress.
    Thread.sleep(300); // absence cannot be awaited
    assertThat(received).hasValue(2);

    slow.answers.poll().complete("one");
    assertThat(await(first)).isEqualTo("one");
    awaitCount(received, 3);
    while (slow.answers.size() < 2) {
      Thread.sleep(5);
    }
    slow.answers.poll().complete("two");
    slow.answers.poll().complete("three");
    assertThat(await(second)).isEqualTo("two");
    assertThat(await(third)).isEqualTo("three");
    // Reading resumed for good: further calls flow.
    assertThat(await(root.callRemote("now", 4))).isEqualTo(4);
  }

  @Test
  void countsAnIpv6HostByItsSlash64() throws Exception {
    assertThat(ConnectionLimits.group(InetAddress.getByName("2001:db8:1:2:aaaa:bbbb:cccc:dddd")))
        .isEqualTo(InetAddress.getByName("2001:db8:1:2::"));
    assertThat(ConnectionLimits.group(InetAddress.getByName("2001:db8:1:3::1")))
        .isNotEqualTo(InetAddress.getByName("2001:db8:1:2::"));
    assertThat(ConnectionLimits.group(InetAddress.getByName("::1"))).isEqualTo(InetAddress.getByName("::1"));
    assertThat(ConnectionLimits.group(InetAddress.getByName("192.0.2.7")))
        .isEqualTo(InetAddress.getByName("192.0.2.7"));
  }

  private static void awaitOpenConnections(PbServer server, int count) throws InterruptedException {
    while (server.connections().size() != count) {
      Thread.sleep(5);
    }
  }

  private static void awaitCount(AtomicInteger counter, int count) throws InterruptedException {
    while (counter.get() < count) {
      Thread.sleep(5);
    }
  }

  /** A root whose {@code hold} answers when the test says so. */
  public static final class Slow implements io.github.pb4j.Root {
    final ConcurrentLinkedQueue<CompletableFuture<Object>> answers = new ConcurrentLinkedQueue<>();

    @Remote
    public CompletableFuture<Object> hold(int n) {
      CompletableFuture<Object> answer = new CompletableFuture<>();
      answers.add(answer);
      return answer;
    }

    @Remote
    public int now(int n) {
      return n;
    }
  }
}
