package io.github.pb4j.interop.flavours;

import static io.github.pb4j.BrokerTestAccess.onLoop;
import static io.github.pb4j.testing.Futures.await;

import io.github.pb4j.Broker;
import io.github.pb4j.BrokerTestAccess;
import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.PbLogin;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteFailureException;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.cred.Anonymous;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.interop.JavaScenarioClient;
import io.github.pb4j.interop.Results;
import io.github.pb4j.interop.flavours.FlavourTypes.FactoryMade;
import io.github.pb4j.interop.flavours.FlavourTypes.Point;
import io.github.pb4j.interop.flavours.FlavourTypes.Unregistered;
import io.github.pb4j.jelly.PythonRepr;
import io.github.pb4j.jelly.Unpersistable;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.paging.Paging;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The Java client's scenarios: each connects afresh, follows one of Twisted's {@code test_pb.py}
 * broker tests and answers the same result text as its twin in {@code flavours_client.py}.
 */
final class FlavoursScenarios {
  private static final long TIMEOUT_SECONDS = 15;
  private static final int MAX_BROKER_REFS = 1024;
  private static final String NO_FAILURE = "no failure";
  private static final String REFUSED =
      "twisted.spread.pb.Error: Maximum PB reference count exceeded.";

  /** Calls of {@code observe_end} on this client's cache copies. */
  private final List<String> ended = new CopyOnWriteArrayList<>();

  private FlavoursScenarios() {}

  /** Returns a client running every scenario of the suite in Java. */
  static JavaScenarioClient client() {
    FlavoursScenarios s = new FlavoursScenarios();
    return new JavaScenarioClient()
        .add("reference", s::reference)
        .add("result", s::result)
        .add("tooManyRefs", s::tooManyRefs)
        .add("copy", s::copy)
        .add("refusedCopy", s::refusedCopy)
        .add("factoryCopy", s::factoryCopy)
        .add("observe", s::observe)
        .add("deferred", s::deferred)
        .add("refcount", s::refcount)
        .add("cache", s::cache)
        .add("cachedTwice", s::cachedTwice)
        .add("pagingWithCallback", port -> s.paging(port, "getPages", FlavourTypes.BIG_STRING))
        .add("pagingWithoutCallback",
            port -> s.paging(port, "getPagesWithoutCallback", FlavourTypes.BIG_STRING))
        .add("pagingLarge", port -> s.paging(port, "getLargePages",
            FlavourTypes.largePayload(FlavourTypes.LARGE_SIZE), FlavourTypes.LARGE_SIZE))
        .add("filePaging", port -> s.paging(port, "getFilePages", FlavourTypes.BIG_STRING))
        .add("emptyFilePaging", port -> s.paging(port, "getEmptyFilePages", ByteString.EMPTY))
        .add("viewLogin", s::viewLogin)
        .add("nonAvatarLogin", s::nonAvatarLogin)
        .add("viewNoPerspective", s::viewNoPerspective)
        .add("avatarLogin", s::avatarLogin);
  }

  // test_pb's client-side objects

  /** test_pb's {@code X} of {@code test_reference}. */
  static final class X implements Referenceable {
    volatile @Nullable Object caught;

    @Remote("catch")
    public String catchIt(Object arg) {
      caught = arg;
      return "caught";
    }
  }

  static final class SimpleRemote implements Referenceable {
    volatile int arg;

    @Remote
    public int thunk(int arg) {
      this.arg = arg;
      return arg + 1;
    }
  }

  /** test_pb's {@code Observer}: unobserves itself on the first notification. */
  static final class Observer implements Referenceable {
    volatile int notified;
    volatile @Nullable Object obj;

    @Remote("notify")
    public void onNotify(RemoteReference other, Object obj) {
      this.obj = obj;
      notified++;
      other.callRemote("unobserve", this);
    }
  }

  // scenarios, in the order of test_pb.BrokerTests

  private String reference(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = root(client);
      X x = new X();
      X z = new X();
      Object answer = await(root.callRemote("throw", x, z));
      return "answer=" + answer + " identical=" + py(x.caught == z);
    }
  }

  private String result(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = root(client);
      RemoteReference simple = (RemoteReference) await(root.callRemote("getSimple"));
      Object thunk = await(simple.callRemote("thunk", 7));
      SimpleRemote local = new SimpleRemote();
      Object reverse = await(root.callRemote("thunkBack", local, 7));
      String knuth = failureOf(simple.callRemote("knuth", 1));
      return "thunk=" + thunk + " reverse=" + reverse + " arg=" + local.arg + " knuth=" + knuth;
    }
  }

  private String tooManyRefs(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = root(client);
      Broker broker = client.broker().orElseThrow();
      CompletableFuture<Void> closed = new CompletableFuture<>();
      broker.notifyOnDisconnect(() -> closed.complete(null));
      RemoteReference nested = (RemoteReference) await(root.callRemote("getNested"));
      List<Object> kept = new ArrayList<>();
      int refused = 0;
      String end = "none";
      for (int i = 0; i < MAX_BROKER_REFS + 10; i++) {
        try {
          kept.add(await(nested.callRemote("getSimple")));
        } catch (ExecutionException e) {
          if (e.getCause() instanceof ConnectionLostException) {
            end = "lost";
            break;
          }
          String text = Results.failureText(e.getCause());
          if (!text.equals(REFUSED)) {
            end = text;
            break;
          }
          refused++;
        }
      }
      closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return "ok=" + kept.size() + " refused=" + refused + " end=" + end + " closed=True";
    }
  }

  private String copy(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = root(client);
      Object point = await(root.callRemote("getPoint"));
      Object secret = await(root.callRemote("getSecret"));
      Object sum = await(root.callRemote("sum", new Point(3, 4)));
      Point sent = new Point(5, 6);
      Object echo = await(root.callRemote("echo", sent));
      return "point=" + point + " secret=" + secret + " sum=" + sum + " echo=" + echo
          + " fresh=" + py(echo != sent && echo instanceof Point);
    }
  }

  private String refusedCopy(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = root(client);
      String refused = failureOf(root.callRemote("echo", new Unregistered()));
      Object pong = await(root.callRemote("ping"));
      return "refused=" + refused + " then=" + pong;
    }
  }

  private String factoryCopy(int port) throws Exception {
    try (PbClient client = connect(port)) {
      Object made = await(root(client).callRemote("getFactory", 99));
      return "id=" + ((FactoryMade) made).id() + " viaFactory=" + py(made instanceof FactoryMade);
    }
  }

  private String observe(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = root(client);
      RemoteReference observable = (RemoteReference) await(root.callRemote("getObservable"));
      Observer b = new Observer();
      await(observable.callRemote("observe", b));
      Object first = await(observable.callRemote("notify", 1));
      Object second = await(observable.callRemote("notify", 10));
      return "first=" + first + " second=" + second + " notified=" + b.notified + " obj=" + b.obj;
    }
  }

  private String deferred(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = root(client);
      CompletableFuture<@Nullable Object> later = root.callRemote("doItLater");
      Object ranEarly = await(root.callRemote("wasRun"));
      await(root.callRemote("fire", 5));
      return "ranEarly=" + py(Boolean.TRUE.equals(ranEarly)) + " result=" + await(later);
    }
  }

  private String refcount(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = root(client);
      Object before = await(root.callRemote("exportedCount"));
      RemoteReference simple = (RemoteReference) await(root.callRemote("getSimple"));
      Object during = await(root.callRemote("exportedCount"));
      RemoteReference shared1 = (RemoteReference) await(root.callRemote("getShared"));
      RemoteReference shared2 = (RemoteReference) await(root.callRemote("getShared"));
      Object twice = await(root.callRemote("exportedCount"));
      simple.release();
      shared1.release();
      shared2.release();
      Object after = await(root.callRemote("exportedCount"));
      return "before=" + before + " during=" + during + " twice=" + twice + " after=" + after;
    }
  }

  private String cache(int port) throws Exception {
    ended.clear();
    try (PbClient client = connect(port)) {
      RemoteReference root = root(client);
      Broker broker = client.broker().orElseThrow();
      RatherBaroqueCache first = (RatherBaroqueCache) await(root.callRemote("getCache"));
      Object second = await(root.callRemote("getCache"));
      List<?> pair = (List<?>) await(root.callRemote("getCachePair"));
      String state = "x=" + first.x + " y=" + first.y + " foo=" + first.foo;
      boolean same = second == first;
      boolean samePair = pair.get(0) == first && pair.get(1) == first;
      await(root.callRemote("setFoo4"));
      int foo = first.foo;
      Object lcache = await(root.callRemote("putCache", first));
      broker.releaseCache(first);
      await(root.callRemote("ping"));
      boolean uncached = onLoop(broker, () -> BrokerTestAccess.heldCacheCount(broker)) == 0;
      return state + " same=" + py(same) + " pair=" + py(samePair) + " foo=" + foo
          + " lcache=" + py(Boolean.TRUE.equals(lcache)) + " ended=" + py(!ended.isEmpty())
          + " uncached=" + py(uncached);
    }
  }

  /** One copy object per cache on a pb4j client, whatever the occurrences on the wire. */
  private String cachedTwice(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference root = root(client);
      await(root.callRemote("getCache"));
      List<?> cached = (List<?>) await(root.callRemote("getCachePair"));
      List<?> fresh = (List<?>) await(root.callRemote("getFreshCachePair"));
      return "cachedPair=" + distinct(cached) + " freshPair=" + distinct(fresh);
    }
  }

  private static long distinct(List<?> objects) {
    return objects.stream().map(System::identityHashCode).distinct().count();
  }

  private String paging(int port, String method, ByteString expected, @Nullable Object... args)
      throws Exception {
    try (PbClient client = connect(port)) {
      List<@Nullable Object> pages = await(Paging.getAllPages(root(client), method, args));
      ByteString data = Paging.join(pages);
      return "pages=" + pages.size() + " bytes=" + data.size()
          + " equal=" + py(data.equals(expected));
    }
  }

  private String viewLogin(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference avatar = login(client, UsernamePassword.of("user", "pass"));
      RemoteReference view = (RemoteReference) await(avatar.callRemote("getViewPoint"));
      Object check = await(view.callRemote("check"));
      Object whoami = await(view.callRemote("whoami"));
      RemoteReference again = (RemoteReference) await(avatar.callRemote("getViewPoint"));
      Object secret = await(avatar.callRemote("getSecret"));
      Object sum = await(avatar.callRemote("add", 2, 3));
      return "check=" + py(Boolean.TRUE.equals(check)) + " whoami=" + whoami
          + " sameViewPoint=" + py(again.luid().equals(view.luid())) + " secret=" + secret
          + " add=" + sum;
    }
  }

  private String nonAvatarLogin(int port) throws Exception {
    String anything;
    try (PbClient client = connect(port)) {
      RemoteReference avatar = login(client, UsernamePassword.of("nsp", "pass"));
      anything = PythonRepr.of(
          await(avatar.callRemoteWithKeywords("ANYTHING", List.of("here"), Map.of("bar", "baz"))));
    }
    try (PbClient client = connect(port)) {
      RemoteReference echoer = login(client, Anonymous.INSTANCE);
      return "nsp=" + anything + " anonymous=" + await(echoer.callRemote("echo", "hi"));
    }
  }

  private String viewNoPerspective(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference view = (RemoteReference) await(root(client).callRemote("getView"));
      Object none = await(view.callRemote("isNone"));
      Object whoami = await(view.callRemote("whoami"));
      return "none=" + py(Boolean.TRUE.equals(none)) + " whoami=" + whoami;
    }
  }

  private String avatarLogin(int port) throws Exception {
    try (PbClient client = connect(port)) {
      RemoteReference avatar = login(client, UsernamePassword.of("user", "pass"));
      String got;
      try {
        Object value = await(avatar.callRemote("getAvatar"));
        if (value instanceof Unpersistable u) {
          got = "unpersistable insecure=" + py(u.reason().contains("deemed insecure"));
        } else if (value instanceof RemoteReference) {
          got = "reference";
        } else {
          got = "value=" + PythonRepr.of(value);
        }
      } catch (ExecutionException e) {
        String text = Results.failureText(e.getCause());
        got = "refused=" + text.substring(0, text.indexOf(':')) + " insecure=" + py(text.contains("deemed insecure"));
      }
      return got + " then=" + await(avatar.callRemote("add", 2, 3));
    }
  }

  // plumbing

  private PbClient connect(int port) {
    return PbClient.builder()
        .host("127.0.0.1")
        .port(port)
        .options(FlavourTypes.clientOptions(ended::add))
        .build();
  }

  private static RemoteReference root(PbClient client) throws Exception {
    return await(client.getRootObject());
  }

  private static RemoteReference login(PbClient client, Credentials credentials) throws Exception {
    return await(PbLogin.login(root(client), credentials, "BRAINS!"));
  }

  /** Returns the failure text of a call expected to fail, or {@code "no failure"}. */
  private static String failureOf(CompletableFuture<?> call) throws Exception {
    try {
      call.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return NO_FAILURE;
    } catch (ExecutionException e) {
      return e.getCause() instanceof RemoteFailureException f
          ? Results.failureText(f)
          : String.valueOf(e.getCause());
    }
  }

  private static String py(boolean value) {
    return value ? "True" : "False";
  }
}
