package io.github.pb4j;

import static io.github.pb4j.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.JellyRegistry;
import io.github.pb4j.paging.BytesPager;
import io.github.pb4j.paging.FilePager;
import io.github.pb4j.paging.Paging;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class FlavoursTest {
  private final List<LoopbackPair> pairs = new ArrayList<>();

  @AfterEach
  void close() {
    pairs.forEach(LoopbackPair::close);
  }

  public record Point(int x, int y) {}

  /** A copyable whose state depends on who receives it. */
  public static final class Secret implements Copyable {
    @Override
    public String copyTypeName() {
      return "test.Secret";
    }

    @Override
    public Object stateToCopyFor(@Nullable Object perspective) {
      return Map.of("x", perspective == null ? -1 : 1, "y", 0);
    }
  }

  public static final class Counter implements Cacheable {
    int value = 7;
    final List<RemoteCacheObserver> observers = new ArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public String cacheTypeName() {
      return "test.Counter";
    }

    @Override
    public Object stateToCacheAndObserveFor(@Nullable Object perspective, RemoteCacheObserver observer) {
      observers.add(observer);
      events.add("observe");
      return Map.of("value", value);
    }

    @Override
    public void stoppedObserving(@Nullable Object perspective, RemoteCacheObserver observer) {
      observers.remove(observer);
      events.add("stopped");
    }

    CompletableFuture<@Nullable Object> increment() {
      value++;
      return observers.get(0).callRemote("setValue", value);
    }
  }

  public static final class RemoteCounter implements RemoteCache {
    volatile int value;

    RemoteCounter(@Nullable Object state) {
      this.value = (Integer) ((Map<?, ?>) state).get("value");
    }

    @Remote
    public int setValue(int value) {
      this.value = value;
      return value;
    }
  }

  /** A viewable reached through a plain root method, not through an avatar. */
  public static final class Board implements Viewable {
    @Remote
    public boolean noPerspective(@Nullable Object perspective) {
      return perspective == null;
    }

    @Remote
    public String whoami(LoginTest.@Nullable User viewer) {
      return viewer == null ? "nobody" : viewer.name;
    }
  }

  public static final class FlavourRoot implements Root {
    final Counter counter = new Counter();
    final Board board = new Board();
    final CompletableFuture<RemoteReference> stalled = new CompletableFuture<>();
    final byte[] big = new byte[2_000_000];

    FlavourRoot() {
      new Random(1).nextBytes(big);
    }

    @Remote
    public Point point() {
      return new Point(1, 2);
    }

    @Remote
    public int sum(Point p) {
      return p.x() + p.y();
    }

    @Remote
    public Secret secret() {
      return new Secret();
    }

    @Remote
    public Counter counter() {
      return counter;
    }

    /** The copyable's state is made by calling the peer: a message sent while the answer is encoded. */
    final List<CompletableFuture<@Nullable Object>> callsWhileEncoding = new ArrayList<>();

    @Remote
    public Copyable callingWhileCopied(RemoteReference peer) {
      return new Copyable() {
        @Override
        public String copyTypeName() {
          return "test.Secret";
        }

        @Override
        public Object stateToCopyFor(@Nullable Object perspective) {
          callsWhileEncoding.add(peer.callRemote("ping"));
          return Map.of("x", 5, "y", 6);
        }
      };
    }

    @Remote
    public Board board() {
      return board;
    }

    /** Sends one page and never ends paging. */
    @Remote
    public void stall(RemoteReference collector) {
      collector.callRemoteNoAnswer("gotPage", ByteString.ascii("first"));
      stalled.complete(collector);
    }

    @Remote
    public void sized(RemoteReference collector, @Param("size") int size,
        @Param(value = "chunk", defaultValue = "8192") int chunk) {
      new BytesPager(collector, ByteString.of(big, 0, size), chunk, null);
    }

    @Remote
    public boolean isCounter(Counter c) {
      return c == counter;
    }

    @Remote
    public void bytes(RemoteReference collector, int size) {
      new BytesPager(collector, ByteString.of(big, 0, size), 8192, null);
    }

    @Remote
    public void file(RemoteReference collector, String path) throws java.io.IOException {
      new FilePager(collector, Path.of(path), null);
    }

    @Remote
    public void stream(RemoteReference collector, int size) {
      new FilePager(collector, new ByteArrayInputStream(big, 0, size), 8192, null);
    }
  }

  private LoopbackPair pair(FlavourRoot root) {
    JellyRegistry registry = JellyRegistry.builder()
        .registerRecord("test.Point", Point.class)
        .registerReceiver("test.Secret", Point.class, state -> {
          Map<?, ?> m = (Map<?, ?>) state;
          return new Point((Integer) m.get("x"), (Integer) m.get("y"));
        })
        .build();
    BrokerOptions server = BrokerOptions.builder().registry(JellyRegistry.builder()
        .registerRecord("test.Point", Point.class).build()).build();
    BrokerOptions client = BrokerOptions.builder().registry(registry)
        .remoteCache("test.Counter", RemoteCounter::new).build();
    LoopbackPair p = LoopbackPair.create(root, server, client);
    pairs.add(p);
    return p;
  }

  @Test
  void recordTravelsByCopyBothWays() throws Exception {
    RemoteReference root = pair(new FlavourRoot()).root();
    assertThat(await(root.callRemote("point"))).isEqualTo(new Point(1, 2));
    assertThat(await(root.callRemote("sum", new Point(3, 4)))).isEqualTo(7);
  }

  public static final class Pinged implements Referenceable {
    @Remote
    public String ping() {
      return "pong";
    }
  }

  @Test
  void aCallMadeWhileAnAnswerIsEncodedIsSentAfterItAndBothArriveWhole() throws Exception {
    FlavourRoot impl = new FlavourRoot();
    RemoteReference root = pair(impl).root();

    assertThat(await(root.callRemote("callingWhileCopied", new Pinged()))).isEqualTo(new Point(5, 6));
    assertThat(impl.callsWhileEncoding).hasSize(1);
    assertThat(await(impl.callsWhileEncoding.get(0))).isEqualTo("pong");
    // Both sides go on.
    assertThat(await(root.callRemote("point"))).isEqualTo(new Point(1, 2));
    assertThat(await(root.callRemote("callingWhileCopied", new Pinged()))).isEqualTo(new Point(5, 6));
    assertThat(await(impl.callsWhileEncoding.get(1))).isEqualTo("pong");
  }

  @Test
  void copyableStateIsChosenPerPerspective() throws Exception {
    RemoteReference root = pair(new FlavourRoot()).root();
    // Sent from a plain root method: no perspective.
    assertThat(await(root.callRemote("secret"))).isEqualTo(new Point(-1, 0));
  }

  @Test
  void unregisteredCopyIsRefused() {
    LoopbackPair p = pair(new FlavourRoot());
    RemoteReference root = p.root();
    record Unknown(int a) {}
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(root.callRemote("echo", new Unknown(1))));
    assertThat(e.getCause()).hasMessageContaining("cannot jelly");
  }

  @Test
  void cacheableIsCopiedOnceThenUpdatedAndReleased() throws Exception {
    FlavourRoot impl = new FlavourRoot();
    LoopbackPair p = pair(impl);
    RemoteReference root = p.root();
    RemoteCounter first = (RemoteCounter) await(root.callRemote("counter"));
    assertThat(first.value).isEqualTo(7);
    RemoteCounter second = (RemoteCounter) await(root.callRemote("counter"));
    assertThat(second).isSameAs(first);
    assertThat(impl.counter.events).containsExactly("observe");
    CompletableFuture<@Nullable Object> update = p.call(impl.counter::increment);
    assertThat(await(update)).isEqualTo(8);
    assertThat(first.value).isEqualTo(8);
    // Sent back, the copy arrives as the original.
    assertThat(await(root.callRemote("isCounter", first))).isEqualTo(true);
    p.client().releaseCache(first);
    p.settle();
    assertThat(impl.counter.events).containsExactly("observe", "stopped");
    assertThat(p.call(() -> BrokerTestAccess.exportedCacheCount(p.server()))).isZero();
    assertThat(p.call(() -> BrokerTestAccess.heldCacheCount(p.client()))).isZero();
    // Sent again after uncache: a fresh copy.
    RemoteCounter third = (RemoteCounter) await(root.callRemote("counter"));
    assertThat(third).isNotSameAs(first);
    assertThat(third.value).isEqualTo(8);
  }

  @Test
  void ownerStopsObservingWhenTheConnectionEnds() throws Exception {
    FlavourRoot impl = new FlavourRoot();
    LoopbackPair p = pair(impl);
    await(p.root().callRemote("counter"));
    p.disconnect();
    assertThat(impl.counter.events).containsExactly("observe", "stopped");
  }

  @Test
  void pagesBytesLargerThanTheSizeLimit() throws Exception {
    FlavourRoot impl = new FlavourRoot();
    RemoteReference root = pair(impl).root();
    List<@Nullable Object> pages = await(Paging.getAllPages(root, "bytes", impl.big.length));
    assertThat(pages).hasSize((impl.big.length + 8191) / 8192);
    assertThat(Paging.join(pages).toByteArray()).isEqualTo(impl.big);
  }

  @Test
  void pagesAStreamAndAnEmptyOne() throws Exception {
    FlavourRoot impl = new FlavourRoot();
    RemoteReference root = pair(impl).root();
    List<@Nullable Object> pages = await(Paging.getAllPages(root, "stream", 100_000));
    assertThat(Paging.join(pages).toByteArray()).isEqualTo(java.util.Arrays.copyOf(impl.big, 100_000));
    assertThat(await(Paging.getAllPages(root, "stream", 0))).isEmpty();
    // An empty byte sequence is one empty page, as Twisted's StringPager sends.
    assertThat(await(Paging.getAllPages(root, "bytes", 0))).containsExactly(ByteString.EMPTY);
  }

  @Test
  void filePagerReadsAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("data.bin");
    byte[] data = new byte[50_000];
    new Random(2).nextBytes(data);
    Files.write(file, data);
    RemoteReference root = pair(new FlavourRoot()).root();
    List<@Nullable Object> pages = await(Paging.getAllPages(root, "file", file.toString()));
    assertThat(pages).hasSize(4); // 16 KiB pages, as Twisted's FileSender reads.
    assertThat(Paging.join(pages).toByteArray()).isEqualTo(data);
  }

  @Test
  void viewableSentOutsideAnAvatarSeesNoPerspective() throws Exception {
    FlavourRoot impl = new FlavourRoot();
    RemoteReference root = pair(impl).root();
    RemoteReference board = (RemoteReference) await(root.callRemote("board"));
    assertThat(await(board.callRemote("noPerspective"))).isEqualTo(true);
    // A parameter typed as an avatar class receives null too, not some internal object.
    assertThat(await(board.callRemote("whoami"))).isEqualTo("nobody");
    // The same viewable sent with no perspective again is the same reference.
    assertThat(await(root.callRemote("board"))).isSameAs(board);
  }

  @Test
  void getAllPagesFailsWhenTheConnectionIsLostMidPaging() throws Exception {
    FlavourRoot impl = new FlavourRoot();
    LoopbackPair p = pair(impl);
    CompletableFuture<List<@Nullable Object>> pages = Paging.getAllPages(p.root(), "stall");
    await(impl.stalled);
    p.settle();
    assertThat(pages).isNotDone();
    p.disconnect();
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> await(pages));
    assertThat(e.getCause()).isInstanceOf(ConnectionLostException.class);
  }

  @Test
  void getAllPagesOnALostConnectionFails() throws Exception {
    FlavourRoot impl = new FlavourRoot();
    LoopbackPair p = pair(impl);
    RemoteReference root = p.root();
    p.disconnect();
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(Paging.getAllPages(root, "bytes", 10)));
    assertThat(e.getCause()).isInstanceOfAny(ConnectionLostException.class, DeadReferenceException.class);
  }

  @Test
  void getAllPagesPassesKeywordArguments() throws Exception {
    FlavourRoot impl = new FlavourRoot();
    RemoteReference root = pair(impl).root();
    List<@Nullable Object> pages =
        await(Paging.getAllPages(root, "sized", List.of(), Map.of("size", 1000, "chunk", 100)));
    assertThat(pages).hasSize(10);
    assertThat(Paging.join(pages).toByteArray()).isEqualTo(java.util.Arrays.copyOf(impl.big, 1000));
    assertThat(await(Paging.getAllPages(root, "sized", List.of(300), Map.of()))).hasSize(1);
  }

  @Test
  void droppedCacheCopyIsReleasedByTheGarbageCollector() throws Exception {
    FlavourRoot impl = new FlavourRoot();
    LoopbackPair p = pair(impl);
    RemoteReference root = p.root();
    receiveCounterAndDrop(root);
    assertThat(impl.counter.events).containsExactly("observe");
    // The cleaner runs when the collector finds the copy unreachable; each round awaits the
    // event loop, no sleeping.
    for (int i = 0; i < 200 && !impl.counter.events.contains("stopped"); i++) {
      System.gc();
      p.settle();
    }
    assertThat(impl.counter.events).containsExactly("observe", "stopped");
    assertThat(p.call(() -> BrokerTestAccess.exportedCacheCount(p.server()))).isZero();
    assertThat(p.call(() -> BrokerTestAccess.heldCacheCount(p.client()))).isZero();
    assertThat(p.client().isConnected()).isTrue();
    // Sent again: a fresh copy, observed again.
    RemoteCounter again = (RemoteCounter) await(root.callRemote("counter"));
    assertThat(again.value).isEqualTo(7);
    assertThat(impl.counter.events).containsExactly("observe", "stopped", "observe");
  }

  private static void receiveCounterAndDrop(RemoteReference root) throws Exception {
    Object copy = await(root.callRemote("counter"));
    assertThat(copy).isInstanceOf(RemoteCounter.class);
    // Received twice: one decache per copy received.
    assertThat(await(root.callRemote("counter"))).isSameAs(copy);
  }

  @Test
  void aReleasedCopyIsNotSentBackToItsOwner() throws Exception {
    FlavourRoot impl = new FlavourRoot();
    LoopbackPair p = pair(impl);
    RemoteReference root = p.root();
    RemoteCounter copy = (RemoteCounter) await(root.callRemote("counter"));
    p.client().releaseCache(copy);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(root.callRemote("isCounter", copy)));
    assertThat(e.getCause()).isInstanceOf(DeadReferenceException.class);
    assertThat(p.client().isConnected()).isTrue();
  }

  @Test
  void aReleasedCopyWhoseOwnerUncachedItIsNotSentBackEither() throws Exception {
    FlavourRoot impl = new FlavourRoot();
    LoopbackPair p = pair(impl);
    RemoteReference root = p.root();
    RemoteCounter copy = (RemoteCounter) await(root.callRemote("counter"));
    p.client().releaseCache(copy);
    // The owner's uncache has arrived: the copy is no longer tracked, yet it is still a released
    // copy of this connection, not a stranger's object.
    // Its uncache goes out before the answer to any later call: one round trip brings it.
    await(root.callRemote("point"));
    assertThat(p.call(() -> BrokerTestAccess.heldCacheCount(p.client()))).isZero();
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(root.callRemote("isCounter", copy)));
    assertThat(e.getCause()).isInstanceOf(DeadReferenceException.class);
  }

  @Test
  void aCopyStillHeldIsNotReleased() throws Exception {
    FlavourRoot impl = new FlavourRoot();
    LoopbackPair p = pair(impl);
    RemoteCounter held = (RemoteCounter) await(p.root().callRemote("counter"));
    for (int i = 0; i < 5; i++) {
      System.gc();
      p.settle();
    }
    assertThat(impl.counter.events).containsExactly("observe");
    assertThat(await(p.call(impl.counter::increment))).isEqualTo(8);
    assertThat(held.value).isEqualTo(8);
  }
}
