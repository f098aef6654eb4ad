package io.github.pb4j.interop.broker;

import io.github.pb4j.Broker;
import io.github.pb4j.KeywordArguments;
import io.github.pb4j.Param;
import io.github.pb4j.PbApplicationException;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.Root;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The root of the Broker suite's Java server, one per connection; the Java twin of {@code
 * BrokerRoot} in {@code broker_server.py} (keep the two in step).
 *
 * <p>Events: {@code noted <text>} when {@link #note} runs, {@code dropped connection lost} when a
 * connection closed by {@link #dropMe} has ended.
 *
 * <p><em>Not thread-safe;</em> confined to its connection's event loop, where remote methods run.
 */
public final class BrokerRoot implements Root {
  private final Broker broker;
  private final Consumer<String> events;
  private final List<String> notes = new ArrayList<>();
  private final Map<String, WeakReference<Thing>> made = new HashMap<>();
  private WeakReference<@Nullable Thing> shared = new WeakReference<>(null);
  private @Nullable Object kept;

  public BrokerRoot(Broker broker, Consumer<String> events) {
    this.broker = broker;
    this.events = events;
  }

  /** An object passed by reference. */
  public static final class Thing implements Referenceable {
    private final String name;

    Thing(String name) {
      this.name = name;
    }

    @Remote
    public String name() {
      return name;
    }
  }

  @Remote
  public long add(long a, @Param(value = "b", defaultValue = "1") long b) {
    return a + b;
  }

  @Remote
  public String signature(@KeywordArguments Map<String, Object> kw, @Nullable Object... args) {
    return Canonical.callText(args, kw);
  }

  @Remote
  public String describe(@Nullable Object value) {
    return Canonical.repr(value);
  }

  @Remote
  public @Nullable Object echo(@Nullable Object value) {
    return value;
  }

  @Remote
  public void fail() {
    throw new IllegalArgumentException("boom");
  }

  @Remote
  public void refuse() {
    throw new PbApplicationException("not allowed");
  }

  /** Twin of {@code remote_describeFailure}: how a failure sent as a value arrives. */
  @Remote
  public String describeFailure(io.github.pb4j.RemoteFailureException f) {
    return "RemoteFailureException " + f.remoteType() + ": " + f.remoteValue() + "; check builtins.ValueError: "
        + (f.check("builtins.ValueError") ? "True" : "False");
  }

  @Remote
  public void note(String text) {
    notes.add(text);
    events.accept("noted " + text);
  }

  @Remote
  public List<String> notes() {
    return new ArrayList<>(notes);
  }

  @Remote
  public Thing makeThing(String name) {
    Thing thing = new Thing(name);
    made.put(name, new WeakReference<>(thing));
    return thing;
  }

  /** The same object every time while the client holds it. */
  @Remote
  public Thing shared() {
    Thing thing = shared.get();
    if (thing == null) {
      thing = new Thing("shared");
      shared = new WeakReference<>(thing);
    }
    return thing;
  }

  /** The number of objects this connection exports, root included. */
  @Remote
  public int exported() {
    return io.github.pb4j.BrokerTestAccess.exportedCount(broker);
  }

  /** True if {@code value} is, by identity, a thing this root made. */
  @Remote
  public boolean isMine(@Nullable Object value) {
    if (!(value instanceof Thing thing)) {
      return false;
    }
    WeakReference<Thing> ref = made.get(thing.name);
    return ref != null && ref.get() == thing;
  }

  @Remote
  public @Nullable Object giveBack(@Nullable Object value) {
    return value;
  }

  @Remote
  public void keep(@Nullable Object value) {
    kept = value;
  }

  @Remote
  public @Nullable Object kept() {
    return kept;
  }

  @Remote
  public CompletableFuture<@Nullable Object> callMeBack(RemoteReference callback, String text) {
    return callback.callRemote("ping", text);
  }

  /** Answers, then closes the connection from the server side. */
  @Remote
  public String dropMe() {
    broker.notifyOnDisconnect(() -> events.accept("dropped connection lost"));
    broker.close(); // The answer still goes out first.
    return "bye";
  }
}
