package io.github.pb4j.interop.flavours;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.Copyable;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.JellyRegistry;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The pass-by-copy types of the flavours suite and the registries that allow them; the Java twins
 * of {@code flavours_common.py}, under the same wire names.
 */
final class FlavourTypes {
  /** test_pb.py's {@code bigString}: 500 bytes, paged in 100-byte pages. */
  static final ByteString BIG_STRING =
      ByteString.of("helloworld".repeat(50).getBytes(StandardCharsets.US_ASCII));

  /** A payload above Banana's 640 KiB string limit: it can only travel in pages. */
  static final int LARGE_SIZE = 700_000;

  private FlavourTypes() {}

  /** {@code flavours.Point}: a record, sent and received with state {@code {x, y}}. */
  public record Point(int x, int y) {
    @Override
    public String toString() {
      return "Point(" + x + ", " + y + ")";
    }
  }

  /** The receiving side of {@code flavours.Secret}. */
  public record Secret(@Nullable String viewer, String text) {
    @Override
    public String toString() {
      return "Secret(viewer=" + (viewer == null ? "None" : viewer) + ", text=" + text + ")";
    }
  }

  /** The receiving side of {@code flavours.FactoryCopy}, built by a factory from the state. */
  record FactoryMade(int id) {}

  /** {@code flavours.Secret}: its state depends on the perspective it is copied for. */
  static final class SecretCopy implements Copyable {
    @Override
    public String copyTypeName() {
      return "flavours.Secret";
    }

    @Override
    public Object stateToCopyFor(@Nullable Object perspective) {
      String name = perspective instanceof FlavoursRealm.MyPerspective p ? p.name() : null;
      Map<String, @Nullable Object> state = new LinkedHashMap<>();
      state.put("viewer", name);
      state.put("text", name == null ? "redacted" : "for " + name);
      return state;
    }
  }

  /** {@code flavours.FactoryCopy}: test_pb's {@code SimpleFactoryCopy}. */
  static final class FactoryCopy implements Copyable {
    private final int id;

    FactoryCopy(int id) {
      this.id = id;
    }

    @Override
    public String copyTypeName() {
      return "flavours.FactoryCopy";
    }

    @Override
    public Object stateToCopyFor(@Nullable Object perspective) {
      return Map.of("id", id);
    }
  }

  /** {@code flavours.Unregistered}: nobody registers this name, so receivers must refuse it. */
  static final class Unregistered implements Copyable {
    @Override
    public String copyTypeName() {
      return "flavours.Unregistered";
    }

    @Override
    public Object stateToCopyFor(@Nullable Object perspective) {
      return Map.of();
    }
  }

  /** Returns the bytes of {@code flavours_common.large_payload}: byte i is i % 251. */
  static ByteString largePayload(int size) {
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) (i % 251);
    }
    return ByteString.of(data);
  }

  /** Options of the Java server: it receives points; secrets and factory copies are Copyables. */
  static BrokerOptions serverOptions() {
    return BrokerOptions.builder()
        .registry(JellyRegistry.builder().registerRecord("flavours.Point", Point.class).build())
        .build();
  }

  /**
   * Options of a Java client: points both ways, secrets received, factory copies received through a
   * factory (Twisted's {@code setUnjellyableFactoryForClass}), and the cache copy type, whose
   * {@code observe_end} calls are reported to {@code ended}.
   */
  static BrokerOptions clientOptions(Consumer<String> ended) {
    JellyRegistry registry = JellyRegistry.builder()
        .registerRecord("flavours.Point", Point.class)
        .registerRecord("flavours.Secret", Secret.class)
        .registerReceiver(
            "flavours.FactoryCopy", FactoryMade.class, FlavourTypes::createFactoryCopy)
        .build();
    return BrokerOptions.builder()
        .registry(registry)
        .remoteCache("flavours.Complicated", state -> new RatherBaroqueCache(state, ended))
        .build();
  }

  private static FactoryMade createFactoryCopy(@Nullable Object state) {
    if (!(state instanceof Map<?, ?> map) || !(map.get("id") instanceof Integer id)) {
      throw new IllegalArgumentException("factory copy state has no 'id' member: " + state);
    }
    return new FactoryMade(id);
  }
}
