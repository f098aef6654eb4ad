package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.jelly.TypeMismatchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RemoteProxyTest {
  private final List<LoopbackPair> pairs = new ArrayList<>();

  @AfterEach
  void close() {
    pairs.forEach(LoopbackPair::close);
  }

  /** The server side: a root with a named thing. */
  public static final class Server implements Root {
    @Remote
    public long add(long a, @Param(value = "b", defaultValue = "1") long b) {
      return a + b;
    }

    @Remote("wire_name")
    public String renamed() {
      return "renamed";
    }

    @Remote
    public String describe(@KeywordArguments Map<String, Object> kw, @Nullable Object... args) {
      return List.of(args) + " " + new java.util.TreeMap<>(kw);
    }

    @Remote
    public Thing make(String name) {
      return new Thing(name);
    }

    @Remote
    public Object pair() {
      return Tuple.of(1, "two");
    }

    @Remote
    public boolean isThing(Object value) {
      return value instanceof Thing;
    }
  }

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

  /** The client's view of {@link Server}. */
  public interface ServerApi {
    CompletableFuture<Long> add(long a);

    @Remote("add")
    CompletableFuture<Integer> addWithB(long a, @Param("b") long b);

    @Remote("add")
    CompletableFuture<Long> addMaybeB(long a, @Param(value = "b", defaultValue = "1") @Nullable Long b);

    @Remote("wire_name")
    CompletionStage<String> renamed();

    CompletableFuture<String> describe(Object... args);

    CompletableFuture<ThingApi> make(String name);

    @Remote("pair")
    CompletableFuture<Tuple> pairAsTuple();

    @Remote("pair")
    CompletableFuture<String> pairAsString();

    @Remote("make")
    CompletableFuture<Void> makeAndForget(String name);

    CompletableFuture<Boolean> isThing(Object value);

    CompletableFuture<Object> nosuch();

    default CompletableFuture<Long> addTwice(long a) {
      return add(a).thenCompose(this::add);
    }
  }

  public interface ThingApi {
    CompletableFuture<String> name();
  }

  public interface Echoer {
    CompletableFuture<String> echo(String text);
  }

  /** A server class implementing the interface its clients use. */
  public static final class EchoRoot implements Root, Echoer {
    @Remote
    @Override
    public CompletableFuture<String> echo(String text) {
      return CompletableFuture.completedFuture(text + "!");
    }
  }

  public interface NotAFuture {
    String echo(String x);
  }

  private ServerApi api() {
    LoopbackPair p = LoopbackPair.create(new Server());
    pairs.add(p);
    return RemoteProxy.create(ServerApi.class, p.root());
  }

  private static <T> T await(CompletionStage<T> f) throws Exception {
    return f.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void callsByJavaNameOrWireNameAndConvertsResults() throws Exception {
    ServerApi api = api();
    assertThat(await(api.add(41))).isEqualTo(42L);
    assertThat(await(api.addWithB(1, 2))).isEqualTo(3);
    assertThat(await(api.renamed())).isEqualTo("renamed");
    assertThat(await(api.addTwice(1))).isEqualTo(3L);
  }

  @Test
  void keywordWithDefaultIsLeftOutWhenNull() throws Exception {
    ServerApi api = api();
    assertThat(await(api.addMaybeB(10, null))).isEqualTo(11L);
    assertThat(await(api.addMaybeB(10, 5L))).isEqualTo(15L);
  }

  @Test
  void varargsAreSpreadAndListsStayOneArgument() throws Exception {
    ServerApi api = api();
    assertThat(await(api.describe(1, List.of(2, 3)))).isEqualTo("[1, [2, 3]] {}");
    assertThat(await(api.describe())).isEqualTo("[] {}");
  }

  @Test
  void aReferenceBecomesAStubAndAStubTravelsAsItsReference() throws Exception {
    ServerApi api = api();
    ThingApi thing = await(api.make("lamp"));
    assertThat(await(thing.name())).isEqualTo("lamp");
    assertThat(RemoteProxy.referenceOf(thing)).isPresent();
    assertThat(await(api.isThing(thing))).isTrue();
    assertThat(thing).isEqualTo(RemoteProxy.create(ThingApi.class, RemoteProxy.referenceOf(thing).get()));
    assertThat(thing.toString()).startsWith("ThingApi stub of ");
    assertThat(await(api.makeAndForget("x"))).isNull();
  }

  @Test
  void aTupleIsCheckedAgainstTheDeclaredType() throws Exception {
    ServerApi api = api();
    assertThat(await(api.pairAsTuple())).isEqualTo(Tuple.of(1, "two"));
    assertThatThrownBy(() -> await(api.pairAsString()))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(TypeMismatchException.class)
        .hasMessageContaining("result of ServerApi.pairAsString");
  }

  @Test
  void remoteFailuresArriveAsForCallRemote() throws Exception {
    ServerApi api = api();
    assertThatThrownBy(() -> await(api.nosuch()))
        .cause()
        .isInstanceOf(RemoteFailureException.class)
        .hasMessageContaining("nosuch");
  }

  @Test
  void aServerMayImplementTheInterfaceItsClientsUse() throws Exception {
    LoopbackPair p = LoopbackPair.create(new EchoRoot());
    pairs.add(p);
    assertThat(await(RemoteProxy.create(Echoer.class, p.root()).echo("hi"))).isEqualTo("hi!");
  }

  @Test
  void refusesInterfacesThatDoNotReturnFutures() {
    LoopbackPair p = LoopbackPair.create(new Server());
    pairs.add(p);
    assertThatThrownBy(() -> RemoteProxy.create(NotAFuture.class, p.root()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NotAFuture.echo returns java.lang.String");
    assertThat(RemoteProxy.referenceOf("not a stub")).isEmpty();
  }
}
