package io.github.pb4j;

import static io.github.pb4j.testing.Futures.await;
import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.pb4j.jelly.JellyException;
import io.github.pb4j.jelly.Tuple;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The failure of an incoming call is logged on the callee at WARN, as Twisted logs "Peer will
 * receive following PB traceback", with the connection, the method and the argument or the part
 * of the result that failed; expected errors ({@link PbApplicationException}) are not.
 */
@Timeout(20)
class IncomingCallFailureLogTest {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final List<LoopbackPair> pairs = new ArrayList<>();

  @BeforeEach
  void capture() {
    appender.start();
    root.addAppender(appender);
  }

  @AfterEach
  void restore() {
    root.detachAppender(appender);
    pairs.forEach(LoopbackPair::close);
  }

  /** A copy whose state holds a value that cannot be sent. */
  public static final class Entry implements Copyable {
    @Override
    public String copyTypeName() {
      return "test.Entry";
    }

    @Override
    public Object stateToCopyFor(@Nullable Object perspective) {
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("name", "tmp");
      state.put("path", Path.of("/tmp"));
      return state;
    }
  }

  public static final class Files implements Root {
    @Remote
    public List<Object> entries() {
      return List.of(1, "two", new Entry());
    }

    @Remote
    public int sum(List<Integer> items) {
      return items.stream().mapToInt(Integer::intValue).sum();
    }

    @Remote
    public void broken() {
      throw new IllegalStateException("disk on fire");
    }

    @Remote
    public void expected() {
      throw new PbApplicationException("no such file");
    }

    @Remote
    public @Nullable Object echo(@Nullable Object a, @Nullable Object b) {
      return b;
    }
  }

  private RemoteReference connect() {
    LoopbackPair pair = LoopbackPair.create(new Files());
    pairs.add(pair);
    return pair.root();
  }

  private List<String> warnings() {
    pairs.forEach(LoopbackPair::settle);
    return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void aResultThatCannotBeSentNamesWhereInTheResult() {
    RemoteReference files = connect();

    RemoteFailureException failure = (RemoteFailureException) failureOf(files.callRemote("entries"));

    assertThat(failure.remoteValue()).startsWith("cannot jelly sun.nio.fs.UnixPath").endsWith("(at result[2].path)");
    assertThat(warnings()).singleElement().asString()
        .contains("conn ")
        .contains("Files.entries")
        .contains("the result")
        .contains("peer will receive following PB traceback")
        .contains("cannot jelly sun.nio.fs.UnixPath")
        .contains("result[2].path");
  }

  @Test
  void anArgumentThatDoesNotBindIsLoggedWithItsPath() throws Exception {
    RemoteReference files = connect();

    Throwable failure = failureOf(files.callRemote("sum", List.of(Tuple.of(1))));

    assertThat(failure).hasMessageContaining("argument 'items' element 0: tuple (1,)");
    assertThat(warnings()).singleElement().asString()
        .contains("conn ")
        .contains("Files.sum")
        .contains("peer will receive following PB traceback")
        .contains("argument 'items' element 0: tuple (1,)");
    // And a tuple binds to the List parameter, as Python code would take it.
    assertThat(await(files.callRemote("sum", Tuple.of(1, 2)))).isEqualTo(3);
  }

  @Test
  void anExceptionOfTheMethodIsLoggedWithItsStackTrace() {
    RemoteReference files = connect();

    failureOf(files.callRemote("broken"));

    pairs.forEach(LoopbackPair::settle);
    assertThat(appender.list).filteredOn(e -> e.getLevel() == Level.WARN).singleElement().satisfies(e -> {
      assertThat(e.getFormattedMessage()).contains("Files.broken").contains("peer will receive following PB traceback");
      assertThat(e.getThrowableProxy().getMessage()).isEqualTo("disk on fire");
    });
  }

  @Test
  void anExpectedErrorIsNotLoggedAsAProblem() {
    RemoteReference files = connect();

    assertThat(failureOf(files.callRemote("expected"))).hasMessageContaining("no such file");

    assertThat(warnings()).isEmpty();
  }

  @Test
  void anArgumentThatCannotBeSentIsNamed() {
    RemoteReference files = connect();

    // A string cut in the middle of a surrogate pair (a read that ended between its halves).
    Throwable surrogate = failureOf(files.callRemote("echo", "fine", "cut \uD83D"));
    assertThat(surrogate).isInstanceOf(JellyException.class)
        .hasMessageContaining("lone surrogate \\ud83d at index 4")
        .hasMessageEndingWith("(at args[1])");

    Throwable nested = failureOf(files.callRemoteWithKeywords("echo", List.of(1), Map.of("b", List.of("x", "\uDE00"))));
    assertThat(nested).hasMessageEndingWith("(at kwargs['b'][1])");

    Throwable tooLong = failureOf(files.callRemote("echo", "\u00e9".repeat(400_000), "fine"));
    assertThat(tooLong).hasMessage(
        "string length: 800000 UTF-8 bytes, 400000 characters (expected: <= 655360 bytes) (at args[0])");
  }
}
