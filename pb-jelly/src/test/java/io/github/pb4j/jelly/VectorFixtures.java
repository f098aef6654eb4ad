package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.FlavourExtension.CacheCopy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Java counterparts of the Python classes in the vector generator's {@code pbvec_classes.py}, and
 * the registry and extension that map them to their wire names.
 */
public final class VectorFixtures {
  private VectorFixtures() {}

  /** {@code pbvec_classes.Point}: a plain copyable. */
  public record Point(int x, int y) {}

  /** {@code com.example.TaggedPoint}: a copyable with a chosen wire name. */
  public record TaggedPoint(int x, int y) {}

  /** {@code pbvec_classes.Unregistered}: sent fine, but no receiver registers it. */
  public record Unregistered(int secret) {}

  /** {@code twisted.spread.pb.CopyableFailure}, kept as its state dict. */
  public record FailureCopy(Map<?, ?> state) {}

  /** What a {@code [b'local', luid]} of the vectors resolves to on the owner. */
  public record Thing(String name) {}

  /** {@code pbvec_classes.Node}: a mutable copyable that can form cycles, so not a record. */
  public static final class Node {
    final String name;
    @Nullable Node peer;

    Node(String name) {
      this.name = name;
    }

    Map<String, @Nullable Object> state() {
      Map<String, @Nullable Object> state = new LinkedHashMap<>();
      state.put("name", name);
      state.put("peer", peer);
      return state;
    }

    static Node fromState(@Nullable Object state) {
      Map<?, ?> map = (Map<?, ?>) Objects.requireNonNull(state);
      Node node = new Node((String) map.get("name"));
      node.peer = (Node) map.get("peer");
      return node;
    }
  }

  static final int LOCAL_THING_LUID = 5;
  static final int LOCAL_COUNTER_LUID = 6;
  static final int CACHED_COUNTER_LUID = 3;

  /** The copyable registry of a receiver that knows every registered Python class. */
  static JellyRegistry registry() {
    return JellyRegistry.builder()
        .registerRecord("pbvec_classes.Point", Point.class)
        .registerRecord("com.example.TaggedPoint", TaggedPoint.class)
        .register("pbvec_classes.Node", Node.class, Node::state, Node::fromState)
        .register("twisted.spread.pb.CopyableFailure", FailureCopy.class, FailureCopy::state,
            state -> new FailureCopy((Map<?, ?>) Objects.requireNonNull(state)))
        .registerSender("pbvec_classes.Unregistered", Unregistered.class, u -> Map.of("secret", u.secret()))
        .build();
  }

  static CacheCopy counter() {
    return new CacheCopy("pbvec_classes.Counter", CACHED_COUNTER_LUID, new LinkedHashMap<>(Map.of("value", 7)));
  }

  /** A flavour extension that knows the objects the vectors' second broker had. */
  static FlavourExtension extension() {
    return new FlavourExtension(
        Map.of(LOCAL_THING_LUID, new Thing("thing"), LOCAL_COUNTER_LUID, new Thing("counter")),
        Map.of(CACHED_COUNTER_LUID, counter()),
        Map.of(LOCAL_COUNTER_LUID, new Thing("counter")),
        Set.of("pbvec_classes.Counter"));
  }

  /** The state of the {@code copyable_failure} vector, key order as Twisted sends it. */
  static Map<String, @Nullable Object> failureState() {
    Map<String, @Nullable Object> state = new LinkedHashMap<>();
    state.put("count", 1);
    state.put("type", ByteString.ascii("builtins.ValueError"));
    state.put("value", "bad value");
    state.put("captureVars", false);
    state.put("frames", new ArrayList<>());
    state.put("stack", new ArrayList<>());
    state.put("tb", null);
    state.put("parents", new ArrayList<>(List.of(
        "builtins.ValueError", "builtins.Exception", "builtins.BaseException", "builtins.object")));
    state.put("unsafeTracebacks", 0);
    state.put("traceback", "Traceback unavailable\n");
    return state;
  }
}
