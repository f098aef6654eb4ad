package io.github.pb4j.interop.broker;

import static io.github.pb4j.testing.Futures.await;
import io.github.pb4j.DeadReferenceException;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteFailureException;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.interop.JavaScenarioClient;
import io.github.pb4j.interop.Results;
import io.github.pb4j.netty.PbClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The Broker suite's scenarios written in Java with {@link PbClient}; the Java twin of {@code
 * broker_client.py} (same scenario names, same result texts).
 */
final class BrokerJavaClient {
  private static final long TIMEOUT_SECONDS = 10;

  private BrokerJavaClient() {}

  /** A scenario that runs on a fresh connection's root object. */
  @FunctionalInterface
  private interface RootScenario {
    String run(RemoteReference root) throws Exception;
  }

  static JavaScenarioClient create() {
    JavaScenarioClient client =
        new JavaScenarioClient()
            .add("call_positional", onRoot(BrokerJavaClient::callPositional))
            .add("call_keywords", onRoot(BrokerJavaClient::callKeywords))
            .add(
                "error_exception",
                onRoot(root -> failureChecked(root.callRemote("fail"), "builtins.ValueError")))
            .add(
                "error_pb_error",
                onRoot(
                    root -> failureChecked(root.callRemote("refuse"), "twisted.spread.pb.Error")))
            .add("error_no_such_method", onRoot(root -> outcome(root.callRemote("nosuch", 1))))
            .add("error_wrong_arity", onRoot(root -> outcome(root.callRemote("add", 1, 2, 3))))
            .add(
                "error_missing_argument",
                onRoot(root -> outcome(root.callRemoteWithKeywords("add", List.of(), Map.of("b", 2)))))
            .add("no_answer", onRoot(BrokerJavaClient::noAnswer))
            .add("local_identity", onRoot(BrokerJavaClient::localIdentity))
            .add("given_back", onRoot(BrokerJavaClient::givenBack))
            .add("callback", onRoot(BrokerJavaClient::callback))
            .add("refcount", onRoot(BrokerJavaClient::refcount))
            .add("limit", onRoot(BrokerJavaClient::limit))
            .add("limit_goodbye", onRoot(BrokerJavaClient::limitGoodbye))
            .add("disconnect_notification", onRoot(BrokerJavaClient::disconnectNotification))
            .add("dead_after_client_close", BrokerJavaClient::deadAfterClientClose);
    for (BrokerValues.Value value : BrokerValues.all()) {
      client.add("echo_" + value.name(), onRoot(root -> echo(root, value.java())));
    }
    return client;
  }

  private static String callPositional(RemoteReference root) throws Exception {
    return "add(2, 3)="
        + outcome(root.callRemote("add", 2, 3))
        + " add(7)="
        + outcome(root.callRemote("add", 7))
        + " signature="
        + await(root.callRemote("signature", 1, "two", null));
  }

  private static String callKeywords(RemoteReference root) throws Exception {
    return "add(2, b=40)="
        + outcome(root.callRemoteWithKeywords("add", List.of(2), Map.of("b", 40)))
        + " add(a=1, b=2)="
        + outcome(root.callRemoteWithKeywords("add", List.of(), Map.of("a", 1, "b", 2)))
        + " signature="
        + await(root.callRemoteWithKeywords("signature", List.of(1), Map.of("y", bytes("four"), "x", 3)));
  }

  private static String echo(RemoteReference root, @Nullable Object value) throws Exception {
    List<@Nullable Object> args = Arrays.asList(value);
    Object seen = await(root.callRemoteWithKeywords("describe", args, Map.of()));
    Object back = await(root.callRemoteWithKeywords("echo", args, Map.of()));
    return "server saw " + seen + "; got back " + Canonical.repr(back);
  }

  private static String noAnswer(RemoteReference root) throws Exception {
    Object noted = await(root.callRemoteNoAnswer("note", "quiet"));
    Object failed = await(root.callRemoteNoAnswer("fail"));
    Object notes = await(root.callRemote("notes"));
    return "note returned "
        + Canonical.repr(noted)
        + "; fail returned "
        + Canonical.repr(failed)
        + "; notes="
        + Canonical.repr(notes);
  }

  /** A client object the server calls back. */
  public static final class Callback implements Referenceable {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Remote
    public String ping(String text) {
      seen.add(text);
      return "pong " + text;
    }
  }

  private static String localIdentity(RemoteReference root) throws Exception {
    RemoteReference thing = (RemoteReference) await(root.callRemote("makeThing", "mine"));
    Object mine = await(root.callRemote("isMine", thing));
    Object rootIsThing = await(root.callRemote("isMine", root));
    Callback own = new Callback();
    await(root.callRemote("keep", own));
    Object back = await(root.callRemote("kept"));
    return "server: mine="
        + Canonical.repr(mine)
        + " root="
        + Canonical.repr(rootIsThing)
        + "; client: own object back="
        + Canonical.repr(back == own);
  }

  /** The server returns a client object it held only as the call's argument. */
  private static String givenBack(RemoteReference root) throws Exception {
    Callback own = new Callback();
    Object back = await(root.callRemote("giveBack", own));
    return back == own ? "own object" : Canonical.repr(back);
  }

  private static String callback(RemoteReference root) throws Exception {
    Callback cb = new Callback();
    Object answer = await(root.callRemote("callMeBack", cb, "hi"));
    return "server got "
        + Canonical.repr(answer)
        + "; client saw "
        + Canonical.repr(new ArrayList<>(cb.seen));
  }

  private static String refcount(RemoteReference root) throws Exception {
    Object start = await(root.callRemote("exported"));
    RemoteReference thing = (RemoteReference) await(root.callRemote("makeThing", "counted"));
    Object made = await(root.callRemote("exported"));
    thing.release();
    Object after = await(root.callRemote("exported"));
    RemoteReference first = (RemoteReference) await(root.callRemote("shared"));
    RemoteReference second = (RemoteReference) await(root.callRemote("shared"));
    Object shared = await(root.callRemote("exported"));
    boolean same = first.luid().equals(second.luid());
    // pb4j hands out one RemoteReference per luid; releasing it sends a decref per copy received.
    first.release();
    second.release();
    Object end = await(root.callRemote("exported"));
    return "exported: start="
        + start
        + " made="
        + made
        + " released="
        + after
        + "; shared twice="
        + shared
        + " same luid="
        + Canonical.repr(same)
        + " released="
        + end;
  }

  private static String limit(RemoteReference root) throws Exception {
    List<CompletableFuture<@Nullable Object>> calls = new ArrayList<>();
    for (int i = 0; i < 1025; i++) {
      calls.add(root.callRemote("makeThing", "t" + i));
    }
    List<RemoteReference> refs = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (CompletableFuture<@Nullable Object> call : calls) {
      try {
        refs.add((RemoteReference) await(call));
      } catch (ExecutionException e) {
        refused.add(Results.failureText(e.getCause()));
      }
    }
    Object count = await(root.callRemote("exported"));
    refs.remove(0).release();
    String again;
    try {
      RemoteReference ref = (RemoteReference) await(root.callRemote("makeThing", "t1025"));
      again = Canonical.repr(ref);
      ref.release();
    } catch (ExecutionException e) {
      again = Results.failureText(e.getCause());
    }
    refs.forEach(RemoteReference::release);
    Object end = await(root.callRemote("exported"));
    return "made "
        + (calls.size() - refused.size())
        + "; refused "
        + Canonical.repr(refused)
        + "; exported="
        + count
        + "; after releasing one: "
        + again
        + "; after releasing all: exported="
        + end;
  }

  /** Four violations of the limit: the server answers the fourth with "Goodbye." and closes. */
  private static String limitGoodbye(RemoteReference root) throws Exception {
    CompletableFuture<Boolean> lost = new CompletableFuture<>();
    root.broker().notifyOnDisconnect(() -> lost.complete(true));
    List<CompletableFuture<@Nullable Object>> calls = new ArrayList<>();
    for (int i = 0; i < 1028; i++) {
      calls.add(root.callRemote("makeThing", "t" + i));
    }
    List<String> refused = new ArrayList<>();
    for (CompletableFuture<@Nullable Object> call : calls) {
      try {
        await(call);
      } catch (ExecutionException e) {
        refused.add(Results.failureText(e.getCause()));
      }
    }
    boolean closed = lost.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return "made "
        + (calls.size() - refused.size())
        + "; refused "
        + Canonical.repr(refused)
        + "; connection closed: "
        + Canonical.repr(closed);
  }

  private static String disconnectNotification(RemoteReference root) throws Exception {
    RemoteReference thing = (RemoteReference) await(root.callRemote("makeThing", "watched"));
    CompletableFuture<Boolean> notified = new CompletableFuture<>();
    thing.notifyOnDisconnect(ref -> notified.complete(ref == thing));
    Object bye = await(root.callRemote("dropMe"));
    boolean same = notified.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    return "dropMe="
        + Canonical.repr(bye)
        + "; notified with the same reference: "
        + Canonical.repr(same)
        + "; call after: "
        + outcome(thing.callRemote("name"));
  }

  private static String deadAfterClientClose(int port) throws Exception {
    RemoteReference root;
    RemoteReference thing;
    try (PbClient client = connect(port)) {
      root = client.getRootObject().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      thing = (RemoteReference) await(root.callRemote("makeThing", "doomed"));
    }
    return "root after close: "
        + outcome(root.callRemote("exported"))
        + "; thing after close: "
        + outcome(thing.callRemote("name"));
  }

  // ---------------------------------------------------------------- plumbing

  private static JavaScenarioClient.Scenario onRoot(RootScenario scenario) {
    return port -> {
      try (PbClient client = connect(port)) {
        return scenario.run(client.getRootObject().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      }
    };
  }

  private static PbClient connect(int port) {
    return PbClient.builder().host("127.0.0.1").port(port).build();
  }

  /** The canonical text of a call's result or failure; a dead reference is {@code dead}. */
  private static String outcome(CompletableFuture<@Nullable Object> call) throws Exception {
    try {
      return Canonical.repr(await(call));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return cause instanceof DeadReferenceException ? "dead" : Results.failureText(cause);
    }
  }

  /**
   * The failure text of a call expected to fail, and whether it passes Twisted's {@code
   * check(type)}.
   */
  private static String failureChecked(CompletableFuture<@Nullable Object> call, String type)
      throws Exception {
    try {
      return Canonical.repr(await(call));
    } catch (ExecutionException e) {
      boolean check = e.getCause() instanceof RemoteFailureException f && f.check(type);
      return Results.failureText(e.getCause()) + "; check " + type + ": " + Canonical.repr(check);
    }
  }

  private static io.github.pb4j.banana.ByteString bytes(String ascii) {
    return io.github.pb4j.banana.ByteString.ascii(ascii);
  }
}
