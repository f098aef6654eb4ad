package io.github.pb4j.interop.flavours;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.interop.JavaScenarioServer;
import io.github.pb4j.interop.PythonScenarioClient;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Conformance of the PB flavours (Referenceable, Copyable, Cacheable, Viewable, paging, avatars)
 * between pb4j and Twisted 22.4. The scenarios follow the broker tests of Twisted's {@code
 * twisted/spread/test/test_pb.py} ({@code BrokerTests}, {@code PagingTests}, {@code
 * NewCredTests.test_view}, {@code NSPTests}); each subclass runs them with one pairing of client
 * and server, and every pairing must give the results Twisted gives against itself.
 *
 * <p>Each suite starts two servers, one serving {@code FlavoursRoot} and one serving a cred portal
 * ({@code FlavoursRealm}), and one client; every scenario opens its own connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class AbstractFlavoursConformanceIT {
  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);

  private ScenarioServer rootServer;
  private ScenarioServer loginServer;
  private ScenarioClient client;

  /** Starts the server whose root is {@code FlavoursRoot} (Java) or its Twisted twin. */
  protected abstract ScenarioServer startRootServer() throws Exception;

  /** Starts the server whose root is a cred portal over {@code FlavoursRealm} or its twin. */
  protected abstract ScenarioServer startLoginServer() throws Exception;

  /** Starts the client that runs the scenarios. */
  protected abstract ScenarioClient startClient() throws Exception;

  @BeforeAll
  void start() throws Exception {
    rootServer = startRootServer();
    loginServer = startLoginServer();
    client = startClient();
  }

  @AfterAll
  void stop() throws Exception {
    try (ScenarioClient c = client; ScenarioServer r = rootServer; ScenarioServer l = loginServer) {
      // Closed in reverse order by try-with-resources.
    }
  }

  private String run(String scenario) throws Exception {
    return client.run(scenario, rootServer.port());
  }

  private String runLogin(String scenario) throws Exception {
    return client.run(scenario, loginServer.port());
  }

  /** test_reference: references sent to the server come back as the very same local objects. */
  @Test
  void referencesSentBackArriveAsTheOriginals() throws Exception {
    assertThat(run("reference")).isEqualTo("answer=caught identical=True");
  }

  /** test_result: calls and answers both ways, and an expected failure. */
  @Test
  void resultsFlowBothWays() throws Exception {
    assertThat(run("result"))
        .isEqualTo("thunk=8 reverse=8 arg=7 knuth=twisted.spread.pb.Error: knuth");
  }

  /** test_tooManyRefs: 1024 exported objects (root included), three refusals, then goodbye. */
  @Test
  void tooManyReferencesAreRefusedThenTheConnectionCloses() throws Exception {
    assertThat(run("tooManyRefs")).isEqualTo("ok=1023 refused=3 end=twisted.spread.pb.Error: "
        + "Maximum PB reference count exceeded.  Goodbye. closed=True");
  }

  /** test_copy / NewStyleTests: copies both ways, state chosen per perspective (none here). */
  @Test
  void copyablesTravelByValue() throws Exception {
    assertThat(run("copy")).isEqualTo("point=Point(1, 2) secret=Secret(viewer=None, text=redacted)"
        + " sum=7 echo=Point(5, 6) fresh=True");
  }

  /** A type name the receiver never registered is refused; the connection lives on. */
  @Test
  void unregisteredCopyIsRefused() throws Exception {
    assertThat(run("refusedCopy")).isEqualTo("refused=twisted.spread.jelly.InsecureJelly: "
        + "Module flavours not allowed (in type flavours.Unregistered). then=pong");
  }

  /** test_factoryCopy: the receiver builds the object through a factory. */
  @Test
  void factoryBuildsReceivedCopy() throws Exception {
    assertThat(run("factoryCopy")).isEqualTo("id=99 viaFactory=True");
  }

  /** test_observe: the server calls the client back; the client unobserves by reference. */
  @Test
  void serverCallsObserverBack() throws Exception {
    assertThat(run("observe")).isEqualTo("first=1 second=0 notified=1 obj=1");
    rootServer.awaitEvent("unobserved", EVENT_TIMEOUT);
  }

  /** test_defer: an answer that the server completes later. */
  @Test
  void deferredResultIsAnsweredWhenItFires() throws Exception {
    assertThat(run("deferred")).isEqualTo("ranEarly=False result=6");
  }

  /** test_refcount: released references are freed on the owner, once per reference received. */
  @Test
  void releasedReferencesAreFreedOnTheOwner() throws Exception {
    assertThat(run("refcount")).isEqualTo("before=1 during=2 twice=3 after=1");
  }

  /** test_cache: first send, cached, update, lcache; then decache, stoppedObserving, uncache. */
  @Test
  void cacheableIsCopiedOnceKeptInSyncAndReleased() throws Exception {
    assertThat(run("cache")).isEqualTo(
        "x=1 y=2 foo=3 same=True pair=True foo=4 lcache=True ended=True uncached=True");
    rootServer.awaitEvent("stoppedObserving", EVENT_TIMEOUT);
  }

  /**
   * An object already cached is {@code [b'cached', luid]} at each occurrence, even twice in one
   * answer, while a first send is a full copy plus a dereference. A Twisted client makes one proxy
   * per occurrence received, so it sees the difference; a pb4j client keeps one copy per cache.
   */
  @Test
  void cachedObjectIsSentAsCachedAtEachOccurrence() throws Exception {
    String expected = client instanceof PythonScenarioClient
        ? "cachedPair=2 freshPair=1" : "cachedPair=1 freshPair=1";
    assertThat(run("cachedTwice")).isEqualTo(expected);
  }

  /** test_pagingWithCallback. */
  @Test
  void pagesWithCallback() throws Exception {
    assertThat(run("pagingWithCallback")).isEqualTo("pages=5 bytes=500 equal=True");
    rootServer.awaitEvent("pagingDone hello value=10", EVENT_TIMEOUT);
  }

  /** test_pagingWithoutCallback. */
  @Test
  void pagesWithoutCallback() throws Exception {
    assertThat(run("pagingWithoutCallback")).isEqualTo("pages=5 bytes=500 equal=True");
  }

  /** A payload above Banana's 640 KiB string limit travels in 8 KiB pages. */
  @Test
  void pagesPayloadLargerThanTheSizeLimit() throws Exception {
    assertThat(run("pagingLarge")).isEqualTo("pages=86 bytes=700000 equal=True");
  }

  /** test_filePagingWithCallback. */
  @Test
  void pagesFile() throws Exception {
    assertThat(run("filePaging")).isEqualTo("pages=1 bytes=500 equal=True");
    rootServer.awaitEvent("filePagingDone", EVENT_TIMEOUT);
  }

  /** test_emptyFilePaging: no page at all, only the end. */
  @Test
  void pagesEmptyFile() throws Exception {
    assertThat(run("emptyFilePaging")).isEqualTo("pages=0 bytes=0 equal=True");
    rootServer.awaitEvent("emptyFilePagingDone", EVENT_TIMEOUT);
  }

  /** NewCredTests.test_view: a viewable reached through an avatar sees that perspective. */
  @Test
  void viewableSeesTheCallersPerspective() throws Exception {
    assertThat(runLogin("viewLogin")).isEqualTo("check=True whoami=user sameViewPoint=True"
        + " secret=Secret(viewer=user, text=for user) add=5");
    loginServer.awaitEvent("login user mind=BRAINS!", EVENT_TIMEOUT);
    loginServer.awaitEvent("logout user", EVENT_TIMEOUT);
  }

  /** A viewable a plain root method hands out sees no perspective: None in Twisted, null in Java. */
  @Test
  void viewableOutsideAnAvatarSeesNoPerspective() throws Exception {
    assertThat(run("viewNoPerspective")).isEqualTo("none=True whoami=nobody");
  }

  /**
   * An avatar is sent only through login: returned from a method it is refused as "deemed
   * insecure". Twisted puts an Unpersistable in its place; pb4j answers an InsecureJelly failure
   * with the same text, as it refuses every value it cannot send. Never a live reference.
   */
  @Test
  void avatarIsNeverSentButThroughLogin() throws Exception {
    String expected = loginServer instanceof JavaScenarioServer
        ? "refused=twisted.spread.jelly.InsecureJelly insecure=True then=5"
        : "unpersistable insecure=True then=5";
    assertThat(runLogin("avatarLogin")).isEqualTo(expected);
  }

  /** NSPTests: avatars that are no Avatar subclass (an object, a plain Referenceable). */
  @Test
  void avatarsNeedNotBeAvatars() throws Exception {
    assertThat(runLogin("nonAvatarLogin"))
        .isEqualTo("nsp=('ANYTHING', ('here',), {'bar': 'baz'}) anonymous=hi");
    loginServer.awaitEvent("logout nsp", EVENT_TIMEOUT);
    loginServer.awaitEvent("logout anonymous", EVENT_TIMEOUT);
  }
}
