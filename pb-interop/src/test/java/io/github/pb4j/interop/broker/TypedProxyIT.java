package io.github.pb4j.interop.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.Param;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteFailureException;
import io.github.pb4j.RemoteProxy;
import io.github.pb4j.jelly.TypeMismatchException;
import io.github.pb4j.interop.JavaScenarioServer;
import io.github.pb4j.interop.PythonScenarioServer;
import io.github.pb4j.interop.ScenarioServer;
import io.github.pb4j.netty.PbClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Typed proxies ({@link RemoteProxy}) against the Broker suite's servers: Twisted's {@code
 * broker_server.py} and its Java twin {@link BrokerRoot}. The same interface drives both.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TypedProxyIT {
  /** What the Broker suite's root offers, as a Java program would declare it. */
  public interface BrokerApi {
    CompletableFuture<Long> add(long a, @Param(value = "b", defaultValue = "1") @Nullable Long b);

    CompletableFuture<String> signature(Object... args);

    @Remote("signature")
    CompletableFuture<String> signatureWithKeyword(Object first, @Param("y") Object y);

    CompletableFuture<ThingApi> makeThing(String name);

    CompletableFuture<Boolean> isMine(Object value);

    CompletableFuture<Void> note(String text);

    CompletableFuture<List<String>> notes();

    CompletableFuture<Void> fail();

    @Remote("echo")
    CompletableFuture<Integer> echoAsInt(Object value);
  }

  /** A {@code Thing} the root makes. */
  public interface ThingApi {
    CompletableFuture<String> name();
  }

  static Stream<String> servers() {
    return Stream.of("twisted", "java");
  }

  private static ScenarioServer start(String which) throws Exception {
    return which.equals("twisted")
        ? new PythonScenarioServer("broker_server.py")
        : new JavaScenarioServer(BrokerRoot::new, BrokerOptions.DEFAULT);
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(15, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{0} server")
  @MethodSource("servers")
  void oneInterfaceDrivesBothServers(String which) throws Exception {
    try (ScenarioServer server = start(which);
        PbClient client = PbClient.builder().host("127.0.0.1").port(server.port()).build()) {
      BrokerApi api = RemoteProxy.create(BrokerApi.class, await(client.getRootObject()));

      assertThat(await(api.add(2, 40L))).isEqualTo(42L);
      assertThat(await(api.add(7, null))).as("the server's default b=1").isEqualTo(8L);
      assertThat(await(api.signature(1, "two", null))).isEqualTo("(1, 'two', None) {}");
      assertThat(await(api.signature(List.of(1, 2)))).isEqualTo("([1, 2],) {}");
      assertThat(await(api.signatureWithKeyword(1, 3))).isEqualTo("(1,) {'y': 3}");

      ThingApi thing = await(api.makeThing("lamp"));
      assertThat(await(thing.name())).isEqualTo("lamp");
      assertThat(await(api.isMine(thing))).as("a stub travels as its reference").isTrue();

      assertThat(await(api.note("a"))).isNull();
      assertThat(await(api.notes())).containsExactly("a");
      assertThat(await(api.echoAsInt(5))).isEqualTo(5);
    }
  }

  @ParameterizedTest(name = "{0} server")
  @MethodSource("servers")
  void failuresAndMismatchesFailTheFuture(String which) throws Exception {
    try (ScenarioServer server = start(which);
        PbClient client = PbClient.builder().host("127.0.0.1").port(server.port()).build()) {
      BrokerApi api = RemoteProxy.create(BrokerApi.class, await(client.getRootObject()));

      assertThatThrownBy(() -> await(api.fail()))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(RemoteFailureException.class)
          .hasMessageContaining("boom");
      assertThatThrownBy(() -> await(api.echoAsInt("five")))
          .cause()
          .isInstanceOf(TypeMismatchException.class)
          .hasMessageContaining("result of BrokerApi.echoAsInt");
      assertThat(await(api.add(1, 1L))).as("the connection lives on").isEqualTo(2L);
    }
  }
}
