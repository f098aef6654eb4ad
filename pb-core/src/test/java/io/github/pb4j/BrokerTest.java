package io.github.pb4j;

import static io.github.pb4j.testing.Futures.await;
import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.FrozenSet;
import io.github.pb4j.jelly.Tuple;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class BrokerTest {
  private final List<LoopbackPair> pairs = new ArrayList<>();

  @AfterEach
  void closePairs() {
    pairs.forEach(LoopbackPair::close);
  }

  public static final class Thing implements Referenceable {
    final String name;

    Thing(String name) {
      this.name = name;
    }

    @Remote
    public String ping() {
      return "pong from " + name;
    }
  }

  public static final class Mind implements Referenceable {
    final List<String> notes = new ArrayList<>();

    @Remote
    public String notify(String note) {
      notes.add(note);
      return "ack:" + note;
    }
  }

  public static final class TestRoot implements Root {
    final Thing thing = new Thing("root's thing");
    final CompletableFuture<String> later = new CompletableFuture<>();
    final AtomicInteger calls = new AtomicInteger();

    @Remote
    public @Nullable Object echo(@Nullable Object x) {
      calls.incrementAndGet();
      return x;
    }

    @Remote
    public int add(int a, @Param(value = "b", defaultValue = "0") int b) {
      return a + b;
    }

    @Remote
    public String greet(String name) {
      return "hello " + name;
    }

    @Remote
    public Thing getThing() {
      return thing;
    }

    @Remote
    public Thing newThing(String name) {
      return new Thing(name);
    }

    @Remote
    public boolean isThing(Thing t) {
      return t == thing;
    }

    @Remote
    public void fail() {
      throw new IllegalArgumentException("bad value");
    }

    @Remote
    public void deny() {
      throw new PbApplicationException("access denied");
    }

    @Remote
    public CompletableFuture<String> later() {
      return later;
    }

    @Remote
    public CompletableFuture<@Nullable Object> callMind(RemoteReference mind, String note) {
      return mind.callRemote("notify", note);
    }

    @Remote("renamed_on_wire")
    public String renamed() {
      return "renamed";
    }

    @Remote
    public List<Object> positional(Object... args) {
      return Arrays.asList(args);
    }

    @Remote
    public List<Object> collect(int first, @KeywordArguments Map<String, Object> kw, String... rest) {
      return Arrays.asList(first, Arrays.asList((Object[]) rest), kw);
    }

    @Remote
    public List<Object> twice(Object x) {
      return Arrays.asList(x, x);
    }
  }

  private LoopbackPair pair(Object root) {
    LoopbackPair p = LoopbackPair.create(root);
    pairs.add(p);
    return p;
  }

  private LoopbackPair pair(Object root, BrokerOptions server) {
    LoopbackPair p = LoopbackPair.create(root, server, BrokerOptions.DEFAULT);
    pairs.add(p);
    return p;
  }

  @Test
  void whenWritableCompletesAtOnceOnAnIdleConnectionAndFailsOnceItIsGone() throws Exception {
    LoopbackPair p = pair(new TestRoot());
    p.root();
    Broker client = p.client();

    assertThat(client.isWritable()).isTrue();
    assertThat(await(client.whenWritable())).isNull();
    p.disconnect();
    assertThat(client.isWritable()).isFalse();
    assertThat(failureOf(client.whenWritable())).isInstanceOf(ConnectionLostException.class);
  }

  @Test
  void echoesEveryDataTypeWithItsType() throws Exception {
    RemoteReference root = pair(new TestRoot()).root();
    Map<Object, Object> dict = new LinkedHashMap<>();
    dict.put("k", ByteString.utf8("v"));
    dict.put(Tuple.of(1, 2), List.of(3));
    dict.put(null, 0.5);
    List<Object> values = Arrays.asList(
        null, true, false, 0, -1, Integer.MAX_VALUE, 1L << 40, BigInteger.TWO.pow(300).negate(), 1.5, -0.0,
        Double.NaN, "héllo ☃ 😀", ByteString.utf8("bytes"), ByteString.utf8("remote"), "None",
        new ArrayList<>(List.of(1, "a")), Tuple.of(1, Tuple.of()), dict, new LinkedHashSet<>(List.of(1, 2)),
        FrozenSet.of(3), LocalDateTime.of(2020, 7, 11, 1, 16, 5, 344_000), LocalDate.of(2020, 7, 11),
        Duration.ofSeconds(-1), new BigDecimal("-78.901"));
    for (Object v : values) {
      assertThat(await(root.callRemote("echo", v))).as("echo of %s", v).isEqualTo(v);
    }
  }

  @Test
  void bindsKeywordArgumentsAndDefaults() throws Exception {
    RemoteReference root = pair(new TestRoot()).root();
    assertThat(await(root.callRemoteWithKeywords("add", List.of(2), Map.of("b", 3)))).isEqualTo(5);
    assertThat(await(root.callRemote("add", 2))).isEqualTo(2);
    assertThat(await(root.callRemoteWithKeywords("add", List.of(), Map.of("a", 1, "b", 2)))).isEqualTo(3);
    assertThat(await(root.callRemote("renamed_on_wire"))).isEqualTo("renamed");
  }

  @Test
  void aListAndADictAreOrdinaryArgumentsOfCallRemote() throws Exception {
    RemoteReference root = pair(new TestRoot()).root();
    // Python's f([1, 2], {'k': 3}): two positional arguments, nothing spread.
    assertThat(await(root.callRemote("positional", List.of(1, 2), Map.of("k", 3))))
        .isEqualTo(List.of(List.of(1, 2), Map.of("k", 3)));
    // f(1, 'a', k=3) has a name of its own.
    assertThat(await(root.callRemoteWithKeywords("collect", List.of(1, "a"), Map.of("k", 3))))
        .isEqualTo(Arrays.asList(1, List.of("a"), Map.of("k", 3)));
  }

  @Test
  void varargsAndKeywordArgumentsCollectTheRest() throws Exception {
    RemoteReference root = pair(new TestRoot()).root();
    assertThat(await(root.callRemoteWithKeywords("collect", List.of(1, "a", "b"), Map.of("x", 2))))
        .isEqualTo(Arrays.asList(1, List.of("a", "b"), Map.of("x", 2)));
    assertThat(await(root.callRemote("collect", 1))).isEqualTo(Arrays.asList(1, List.of(), Map.of()));
    RemoteFailureException e = (RemoteFailureException) failureOf(root.callRemote("collect", 1, 2));
    assertThat(e.remoteValue()).contains("argument 2");
  }

  @Test
  void rejectsArgumentsOfTheWrongTypeBeforeTheCall() {
    TestRoot impl = new TestRoot();
    RemoteReference root = pair(impl).root();
    RemoteFailureException bytesForStr =
        (RemoteFailureException) failureOf(root.callRemote("greet", ByteString.utf8("bob")));
    assertThat(bytesForStr.remoteType()).isEqualTo("builtins.TypeError");
    assertThat(bytesForStr.remoteValue()).contains("argument 'name'").contains("bytes").contains("expected: str");
    RemoteFailureException arity = (RemoteFailureException) failureOf(root.callRemote("greet", "a", "b"));
    assertThat(arity.remoteType()).isEqualTo("builtins.TypeError");
    assertThat(arity.remoteValue()).isEqualTo("greet() takes 1 positional argument but 2 were given");
    RemoteFailureException unknownKw =
        (RemoteFailureException) failureOf(root.callRemoteWithKeywords("add", List.of(1), Map.of("c", 1)));
    assertThat(unknownKw.remoteValue()).isEqualTo("add() got an unexpected keyword argument 'c'");
    RemoteFailureException missing = (RemoteFailureException) failureOf(root.callRemote("greet"));
    assertThat(missing.remoteValue()).isEqualTo("greet() missing required argument: 'name'");
  }

  @Test
  void referenceSentBackArrivesAsTheOriginalObject() throws Exception {
    TestRoot impl = new TestRoot();
    RemoteReference root = pair(impl).root();
    RemoteReference thing = (RemoteReference) await(root.callRemote("getThing"));
    assertThat(await(thing.callRemote("ping"))).isEqualTo("pong from root's thing");
    assertThat(await(root.callRemote("isThing", thing))).isEqualTo(true);
    RemoteReference again = (RemoteReference) await(root.callRemote("getThing"));
    assertThat(again).isSameAs(thing);
  }

  @Test
  void typedParameterRefusesAReferenceToAnotherType() {
    RemoteReference root = pair(new TestRoot()).root();
    RemoteFailureException e = (RemoteFailureException) failureOf(root.callRemote("isThing", "not a thing"));
    assertThat(e.remoteType()).isEqualTo("builtins.TypeError");
  }

  @Test
  void releasingAReferenceSendsOneDecrefPerReceivedOccurrence() throws Exception {
    TestRoot impl = new TestRoot();
    LoopbackPair p = pair(impl);
    RemoteReference root = p.root();
    RemoteReference thing = (RemoteReference) await(root.callRemote("getThing"));
    @SuppressWarnings("unchecked")
    List<Object> two = (List<Object>) await(root.callRemote("twice", thing));
    // [local] goes out, two [remote] come back: the server counts 3 sends, the client holds one proxy.
    assertThat(two).containsExactly(thing, thing);
    assertThat(p.call(() -> BrokerTestAccess.exportedCount(p.server()))).isEqualTo(2);
    thing.release();
    p.settle();
    assertThat(p.call(() -> BrokerTestAccess.exportedCount(p.server()))).isEqualTo(1);
    assertThat(p.call(() -> BrokerTestAccess.importedCount(p.client()))).isZero();
    assertThat(failureOf(thing.callRemote("ping"))).isInstanceOf(DeadReferenceException.class);
    assertThat(p.server().isConnected()).isTrue();
  }

  @Test
  void unreachableReferenceIsReleasedByTheGarbageCollector() throws Exception {
    LoopbackPair p = pair(new TestRoot());
    RemoteReference root = p.root();
    receiveAndDrop(root);
    assertThat(p.call(() -> BrokerTestAccess.exportedCount(p.server()))).isEqualTo(2);
    // The cleaner runs when the collector finds the proxy unreachable; each round awaits the
    // event loop, no sleeping.
    for (int i = 0; i < 200 && p.call(() -> BrokerTestAccess.exportedCount(p.server())) > 1; i++) {
      System.gc();
      p.settle();
    }
    assertThat(p.call(() -> BrokerTestAccess.exportedCount(p.server()))).isEqualTo(1);
    assertThat(p.client().isConnected()).isTrue();
  }

  private static void receiveAndDrop(RemoteReference root) throws Exception {
    Object thing = await(root.callRemote("newThing", "garbage"));
    assertThat(thing).isInstanceOf(RemoteReference.class);
  }

  @Test
  void referenceReceivedAgainAfterReleaseIsANewLiveProxy() throws Exception {
    LoopbackPair p = pair(new TestRoot());
    RemoteReference root = p.root();
    RemoteReference first = (RemoteReference) await(root.callRemote("getThing"));
    first.release();
    RemoteReference second = (RemoteReference) await(root.callRemote("getThing"));
    assertThat(second).isNotSameAs(first);
    assertThat(await(second.callRemote("ping"))).isEqualTo("pong from root's thing");
    // A released object gets a new luid when sent again; luids are never reused.
    assertThat(second.luid()).isNotEqualTo(first.luid());
  }

  @Test
  void exceptionBecomesAFailureATwistedCallerCanTrap() {
    RemoteReference root = pair(new TestRoot()).root();
    RemoteFailureException e = (RemoteFailureException) failureOf(root.callRemote("fail"));
    assertThat(e.remoteType()).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(e.remoteValue()).isEqualTo("bad value");
    assertThat(e.remoteTraceback()).isEqualTo("Traceback unavailable\n");
    assertThat(e.check("builtins.ValueError")).isTrue();
    assertThat(e.parents()).endsWith("builtins.Exception", "builtins.BaseException", "builtins.object");
  }

  @Test
  void applicationErrorIsTwistedPbError() {
    RemoteReference root = pair(new TestRoot()).root();
    RemoteFailureException e = (RemoteFailureException) failureOf(root.callRemote("deny"));
    assertThat(e.remoteType()).isEqualTo("twisted.spread.pb.Error");
    assertThat(e.remoteValue()).isEqualTo("access denied");
  }

  @Test
  void unknownMethodIsNoSuchMethod() {
    RemoteReference root = pair(new TestRoot()).root();
    RemoteFailureException e = (RemoteFailureException) failureOf(root.callRemote("nope"));
    assertThat(e.remoteType()).isEqualTo("twisted.spread.flavors.NoSuchMethod");
    assertThat(e.remoteValue()).isEqualTo("No such method: remote_nope");
    assertThat(e.check("builtins.AttributeError")).isTrue();
  }

  @Test
  void unsafeTracebacksSendTheJavaStackTrace() {
    RemoteReference root = pair(new TestRoot(), BrokerOptions.builder().unsafeTracebacks(true).build()).root();
    RemoteFailureException e = (RemoteFailureException) failureOf(root.callRemote("fail"));
    assertThat(e.remoteTraceback()).contains("IllegalArgumentException").contains("TestRoot.fail");
  }

  @Test
  void answerArrivesWhenTheReturnedStageCompletesAndOutOfOrder() throws Exception {
    TestRoot impl = new TestRoot();
    RemoteReference root = pair(impl).root();
    CompletableFuture<@Nullable Object> slow = root.callRemote("later");
    assertThat(await(root.callRemote("echo", 1))).isEqualTo(1);
    assertThat(slow).isNotDone();
    impl.later.complete("done");
    assertThat(await(slow)).isEqualTo("done");
  }

  @Test
  void serverCallsTheClientsMind() throws Exception {
    Mind mind = new Mind();
    RemoteReference root = pair(new TestRoot()).root();
    assertThat(await(root.callRemote("callMind", mind, "echo called"))).isEqualTo("ack:echo called");
    assertThat(mind.notes).containsExactly("echo called");
  }

  @Test
  void callWithoutAnswerRequiredGetsNoAnswerEvenOnFailure() throws Exception {
    TestRoot impl = new TestRoot();
    LoopbackPair p = pair(impl);
    RemoteReference root = p.root();
    assertThat(await(root.callRemoteNoAnswer("fail"))).isNull();
    assertThat(await(root.callRemoteNoAnswer("echo", 1))).isNull();
    assertThat(await(root.callRemote("echo", 2))).isEqualTo(2);
    assertThat(impl.calls).hasValue(2);
    assertThat(p.call(() -> BrokerTestAccess.pendingCount(p.client()))).isZero();
  }

  @Test
  void objectLimitBehavesAsTwisted() throws Exception {
    LoopbackPair p = pair(new TestRoot(), BrokerOptions.builder().maxBrokerRefs(3).build());
    RemoteReference root = p.root();
    List<Object> kept = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      kept.add(await(root.callRemote("newThing", "t" + i)));
    }
    for (int violation = 1; violation <= 3; violation++) {
      RemoteFailureException e = (RemoteFailureException) failureOf(root.callRemote("newThing", "x"));
      assertThat(e.remoteValue()).isEqualTo("Maximum PB reference count exceeded.");
      assertThat(p.client().isConnected()).isTrue();
    }
    // Re-sending an object already exported never fails.
    assertThat(await(root.callRemote("echo", kept.get(0)))).isSameAs(kept.get(0));
    failureOf(root.callRemote("newThing", "x"));
    p.settle();
    assertThat(p.client().isConnected()).isFalse();
  }

  @Test
  void disconnectFailsPendingCallsAndNotifies() throws Exception {
    TestRoot impl = new TestRoot();
    LoopbackPair p = pair(impl);
    RemoteReference root = p.root();
    RemoteReference thing = (RemoteReference) await(root.callRemote("getThing"));
    CountDownLatch notified = new CountDownLatch(2);
    thing.notifyOnDisconnect(r -> notified.countDown());
    p.client().notifyOnDisconnect(notified::countDown);
    CompletableFuture<@Nullable Object> pending = root.callRemote("later");
    p.settle();
    p.disconnect();
    assertThat(notified.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(failureOf(pending)).isInstanceOf(ConnectionLostException.class);
    assertThat(failureOf(thing.callRemote("ping"))).isInstanceOf(DeadReferenceException.class);
    assertThat(thing.isConnected()).isFalse();
  }

  public static final class ClosingRoot implements Root {
    private final Broker broker;

    ClosingRoot(Broker broker) {
      this.broker = broker;
    }

    @Remote
    public String quit() {
      broker.close();
      return "bye";
    }
  }

  @Test
  void methodThatClosesItsConnectionStillAnswers() throws Exception {
    LoopbackPair p = LoopbackPair.create(ClosingRoot::new);
    pairs.add(p);
    assertThat(await(p.root().callRemote("quit"))).isEqualTo("bye");
    p.settle();
    assertThat(p.client().isConnected()).isFalse();
  }

  @Test
  void referenceCannotBeSentOverAnotherConnection() throws Exception {
    RemoteReference rootA = pair(new TestRoot()).root();
    RemoteReference rootB = pair(new TestRoot()).root();
    RemoteReference thingFromA = (RemoteReference) await(rootA.callRemote("getThing"));
    Throwable e = failureOf(rootB.callRemote("echo", thingFromA));
    assertThat(e).isInstanceOf(PbProtocolException.class).hasMessageContaining("third-party");
  }

  @Test
  void overloadedRemoteNamesAreRejectedWhenExported() {
    class Overloaded implements Root {
      @Remote
      public void go(int a) {}

      @Remote("go")
      public void goToo(String a) {}
    }
    assertThatThrownBy(() -> LoopbackPair.create(new Overloaded()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("overloaded");
  }
}
