package io.github.pb4j.buildbot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.Root;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.PbServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A channel talking to a stand-in for the master's RemoteCommand over a real loopback connection. */
@Timeout(30)
class CommandChannelTest {
  /** Records what the master's RemoteCommand would receive. */
  public static final class FakeRemoteCommand implements Root {
    final List<List<?>> updates = new ArrayList<>();
    final CompletableFuture<@Nullable Object> completed = new CompletableFuture<>();
    volatile boolean updateAfterComplete;

    @Remote
    public synchronized int update(List<?> batch) {
      if (completed.isDone()) {
        updateAfterComplete = true;
      }
      updates.add(batch);
      return 0;
    }

    @Remote
    public void complete(@Nullable Object failure) {
      completed.complete(failure);
    }
  }

  private final FakeRemoteCommand master = new FakeRemoteCommand();
  private PbServer server;
  private PbClient client;
  private RemoteReference ref;
  private final ExecutorService sender = Executors.newSingleThreadExecutor();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void connect() throws Exception {
    server = PbServer.builder().host("127.0.0.1").port(0).root(master).build().start();
    client = PbClient.builder().host("127.0.0.1").port(server.port()).build();
    ref = client.getRootObject().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() {
    client.close();
    server.close();
    sender.shutdownNow();
    timers.shutdownNow();
  }

  /** The entries of every batch, in order: {key, value}. */
  private List<Map.Entry<String, Object>> entries() {
    List<Map.Entry<String, Object>> result = new ArrayList<>();
    synchronized (master) {
      for (List<?> batch : master.updates) {
        for (Object u : batch) {
          List<?> pair = (List<?>) u;
          assertThat(pair.get(1)).isEqualTo(0);
          Map<?, ?> update = (Map<?, ?>) pair.get(0);
          assertThat(update).hasSize(1);
          update.forEach((k, v) -> result.add(Map.entry((String) k, v)));
        }
      }
    }
    return result;
  }

  @Test
  void outputArrivesWholeInOrderInBoundedBatchesAndCompleteComesLast() throws Exception {
    CommandChannel channel = new CommandChannel(ref, sender, timers);
    StringBuilder sent = new StringBuilder();
    String[] words = {"\u00e9t\u00e9 ", "\uD83D\uDE00", "abc", "\n", "x".repeat(5000), "\u4e2d\u6587\n"};
    for (int i = 0; i < 12000; i++) {
      String w = words[i % words.length];
      sent.append(w);
      channel.send("stdout", w);
    }
    channel.send("header", "tail\n");
    channel.send("stdout", "partial");
    channel.send("rc", 0);
    channel.complete(null).get(10, TimeUnit.SECONDS);
    assertThat(master.completed).isCompletedWithValue(null);
    assertThat(master.updateAfterComplete).isFalse();

    StringBuilder stdout = new StringBuilder();
    List<String> keys = new ArrayList<>();
    synchronized (master) {
      assertThat(master.updates.size()).isGreaterThan(1);
      for (List<?> batch : master.updates) {
        int bytes = 0;
        for (Object u : batch) {
          for (Object v : ((Map<?, ?>) ((List<?>) u).get(0)).values()) {
            if (v instanceof String s) {
              bytes += s.getBytes(StandardCharsets.UTF_8).length;
              assertThat(Character.isLowSurrogate(s.charAt(0))).as("a piece starts inside a pair").isFalse();
              assertThat(Character.isHighSurrogate(s.charAt(s.length() - 1))).as("a piece ends inside a pair").isFalse();
            }
          }
        }
        assertThat(bytes).isLessThanOrEqualTo(CommandChannel.MAX_BATCH_CHARS);
      }
    }
    for (Map.Entry<String, Object> e : entries()) {
      keys.add(e.getKey());
      if (e.getKey().equals("stdout")) {
        stdout.append(e.getValue());
      }
    }
    String expected = sent.toString();
    // Lines of 5000 x's are cut at 4095 characters.
    assertThat(stdout.toString().replace("\n", "")).isEqualTo((expected + "partial").replace("\n", ""));
    assertThat(stdout.toString()).endsWith("partial\n");
    assertThat(keys.subList(keys.size() - 3, keys.size())).containsExactly("header", "rc", "stdout");
  }

  @Test
  void aQuietCommandsLineGoesOutWithoutWaitingForMore() throws Exception {
    CommandChannel channel = new CommandChannel(ref, sender, timers);
    channel.send("stdout", "one line\n");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (entries().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10); // Waiting for the linger timer's batch; no event to wait on here.
    }
    assertThat(entries()).containsExactly(Map.entry("stdout", "one line\n"));
  }

  @Test
  void logUpdatesCarryTheLogNameAndSilencedChannelsSendNothingMore() throws Exception {
    CommandChannel channel = new CommandChannel(ref, sender, timers);
    channel.send("log", Tuple.of("mylog", "a\nb"));
    channel.send("stdout", "whole\npart");
    channel.silence();
    channel.send("stdout", "after\n");
    channel.complete(null);
    ref.callRemote("update", List.of()).get(10, TimeUnit.SECONDS); // A barrier behind what was sent.
    sender.submit(() -> {}).get(10, TimeUnit.SECONDS);
    ref.callRemote("update", List.of()).get(10, TimeUnit.SECONDS);
    assertThat(entries()).containsExactly(
        Map.entry("log", Tuple.of("mylog", "a\n")), Map.entry("stdout", "whole\n"));
    assertThat(master.completed).isNotDone();
  }

  @Test
  void cutPointsFallBetweenCharacters() {
    String s = "a\u00e9\uD83D\uDE00b";
    assertThat(CommandChannel.cutPoint(s, 0, 1)).isEqualTo(1);
    assertThat(CommandChannel.cutPoint(s, 0, 3)).isEqualTo(2);
    assertThat(CommandChannel.cutPoint(s, 0, 6)).isEqualTo(2);
    assertThat(CommandChannel.cutPoint(s, 0, 7)).isEqualTo(4);
    assertThat(CommandChannel.cutPoint(s, 2, 1)).as("one character even when it is larger").isEqualTo(4);
  }
}
