package io.github.pb4j.interop.flavours;

import io.github.pb4j.Broker;
import io.github.pb4j.PbApplicationException;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.Root;
import io.github.pb4j.interop.flavours.FlavourTypes.FactoryCopy;
import io.github.pb4j.interop.flavours.FlavourTypes.Point;
import io.github.pb4j.interop.flavours.FlavourTypes.SecretCopy;
import io.github.pb4j.paging.BytesPager;
import io.github.pb4j.paging.FilePager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Root of the Java flavours server, one per connection: the objects of Twisted's {@code
 * test_pb.py} broker tests, reachable from the root. Twin of {@code FlavoursRoot} in {@code
 * flavours_server.py}; every method here has a {@code remote_} twin there.
 */
final class FlavoursRoot implements Root {
  private final Broker broker;
  private final Consumer<String> events;
  private final SimpleRemote shared = new SimpleRemote();
  private final Complicated cache;
  private @Nullable CompletableFuture<Integer> later;
  private int run;

  FlavoursRoot(Broker broker, Consumer<String> events) {
    this.broker = broker;
    this.events = events;
    this.cache = new Complicated(events);
  }

  /** test_pb's {@code SimpleRemote}. */
  static final class SimpleRemote implements Referenceable {
    @Remote
    public int thunk(int arg) {
      return arg + 1;
    }

    @Remote
    public int knuth(Object arg) {
      throw new PbApplicationException("knuth");
    }
  }

  /** test_pb's {@code NestedRemote}. */
  static final class NestedRemote implements Referenceable {
    @Remote
    public SimpleRemote getSimple() {
      return new SimpleRemote();
    }
  }

  /** test_pb's {@code Observable}; here {@code notify} is remote and answers once all have. */
  final class Observable implements Referenceable {
    private final List<RemoteReference> observers = new ArrayList<>();

    @Remote
    public void observe(RemoteReference observer) {
      observers.add(observer);
    }

    @Remote
    public void unobserve(RemoteReference observer) {
      observers.remove(observer);
      events.accept("unobserved");
    }

    @Remote("notify")
    public CompletableFuture<Integer> notifyObservers(Object obj) {
      CompletableFuture<?>[] calls = observers.stream()
          .map(o -> o.callRemote("notify", this, obj))
          .toArray(CompletableFuture[]::new);
      return CompletableFuture.allOf(calls).thenApply(v -> calls.length);
    }
  }

  // reference / result

  @Remote("throw")
  public CompletableFuture<@Nullable Object> throwTo(RemoteReference a, Object b) {
    return a.callRemote("catch", b);
  }

  @Remote
  public SimpleRemote getSimple() {
    return new SimpleRemote();
  }

  @Remote
  public SimpleRemote getShared() {
    return shared;
  }

  @Remote
  public CompletableFuture<@Nullable Object> thunkBack(RemoteReference simple, int arg) {
    return simple.callRemote("thunk", arg);
  }

  @Remote
  public NestedRemote getNested() {
    return new NestedRemote();
  }

  @Remote
  public int exportedCount() {
    return io.github.pb4j.BrokerTestAccess.exportedCount(broker);
  }

  @Remote
  public String ping() {
    return "pong";
  }

  // copy

  @Remote
  public Point getPoint() {
    return new Point(1, 2);
  }

  @Remote
  public SecretCopy getSecret() {
    return new SecretCopy();
  }

  @Remote
  public int sum(Point point) {
    return point.x() + point.y();
  }

  // a viewable sent outside any avatar

  private static final PlainView PLAIN_VIEW = new PlainView();

  @Remote
  public PlainView getView() {
    return PLAIN_VIEW;
  }

  /** A viewable a plain root method hands out: its perspective is null. */
  static final class PlainView implements io.github.pb4j.Viewable {
    @Remote
    public boolean isNone(@Nullable Object user) {
      return user == null;
    }

    @Remote
    public String whoami(FlavoursRealm.@Nullable MyPerspective user) {
      return user == null ? "nobody" : user.name();
    }
  }

  @Remote
  public @Nullable Object echo(@Nullable Object value) {
    return value;
  }

  @Remote
  public FactoryCopy getFactory(int value) {
    return new FactoryCopy(value);
  }

  // observe

  @Remote
  public Observable getObservable() {
    return new Observable();
  }

  // deferred

  @Remote
  public CompletableFuture<Integer> doItLater() {
    CompletableFuture<Integer> fired = new CompletableFuture<>();
    later = fired;
    return fired.thenApply(this::runMe);
  }

  private int runMe(int arg) {
    run = arg;
    return arg + 1;
  }

  @Remote
  public boolean wasRun() {
    return run != 0;
  }

  @Remote
  public void fire(int arg) {
    if (later == null) {
      throw new PbApplicationException("nothing to fire");
    }
    later.complete(arg);
  }

  // cache

  @Remote
  public Complicated getCache() {
    return cache;
  }

  @Remote
  public List<Complicated> getCachePair() {
    return List.of(cache, cache);
  }

  @Remote
  public List<Complicated> getFreshCachePair() {
    Complicated fresh = new Complicated(event -> {});
    return List.of(fresh, fresh);
  }

  @Remote
  public CompletableFuture<@Nullable Object> setFoo4() {
    return cache.setFoo4();
  }

  @Remote
  public boolean putCache(Object copy) {
    return copy == cache;
  }

  // paging (test_pb's Pagerizer and FilePagerizer)

  @Remote
  public void getPages(RemoteReference collector) {
    new BytesPager(collector, FlavourTypes.BIG_STRING, 100,
        () -> events.accept("pagingDone hello value=10"));
  }

  @Remote
  public void getPagesWithoutCallback(RemoteReference collector) {
    new BytesPager(collector, FlavourTypes.BIG_STRING, 100, null);
  }

  @Remote
  public void getLargePages(RemoteReference collector, int size) {
    new BytesPager(collector, FlavourTypes.largePayload(size));
  }

  @Remote
  public void getFilePages(RemoteReference collector) throws IOException {
    filePages(collector, FlavourTypes.BIG_STRING.toByteArray(), "filePagingDone");
  }

  @Remote
  public void getEmptyFilePages(RemoteReference collector) throws IOException {
    filePages(collector, new byte[0], "emptyFilePagingDone");
  }

  private void filePages(RemoteReference collector, byte[] content, String done)
      throws IOException {
    Path file = Files.createTempFile("pb4j-flavours-", ".bin");
    try {
      Files.write(file, content);
      new FilePager(collector, file, () -> events.accept(done));
    } finally {
      Files.delete(file); // The pager holds the open file.
    }
  }
}
