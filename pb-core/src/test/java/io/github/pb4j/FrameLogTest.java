package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.ByteString;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameLogTest {
  private static final ByteString SECRET = ByteString.ascii("s3cr3t-challenge");

  private static List<Object> message(int requestId, String method, int answerRequired, Object args) {
    return List.of(ByteString.ascii("message"), requestId, ByteString.ascii("root"),
        ByteString.ascii(method), answerRequired, args, List.of(ByteString.ascii("dictionary")));
  }

  private static List<Object> answer(int requestId, Object value) {
    return List.of(ByteString.ascii("answer"), requestId, value);
  }

  @Test
  void hidesTheArgumentsOfRespondBothWays() {
    FrameLog log = new FrameLog();
    List<Object> respond = message(3, "respond", 1, List.of(ByteString.ascii("tuple"), SECRET));

    assertThat(log.render(respond, true)).contains(FrameLog.HIDDEN).doesNotContain("s3cr3t");
    assertThat(log.render(respond, false)).contains(FrameLog.HIDDEN).doesNotContain("s3cr3t");
  }

  @Test
  void hidesTheAnswerToALoginCallOnlyAndOnlyOnce() {
    FrameLog log = new FrameLog();

    assertThat(log.render(message(1, "login", 1, List.of(ByteString.ascii("tuple"))), true))
        .contains("login");
    assertThat(log.render(answer(2, SECRET), false)).contains("s3cr3t"); // another call's answer
    assertThat(log.render(answer(1, SECRET), false)).contains(FrameLog.HIDDEN).doesNotContain("s3cr3t");
    assertThat(log.render(answer(1, SECRET), false)).contains("s3cr3t"); // the id is done
  }

  @Test
  void aLoginReceivedHasItsAnswerSentHidden() {
    FrameLog log = new FrameLog();
    log.render(message(7, "login", 1, List.of(ByteString.ascii("tuple"))), false);

    assertThat(log.render(answer(7, SECRET), true)).contains(FrameLog.HIDDEN).doesNotContain("s3cr3t");
  }

  @Test
  void aLoginWithoutAnswerOrAnsweredByAnErrorIsForgotten() {
    FrameLog log = new FrameLog();
    log.render(message(4, "login", 0, List.of(ByteString.ascii("tuple"))), true);
    log.render(message(5, "login", 1, List.of(ByteString.ascii("tuple"))), true);
    log.render(List.of(ByteString.ascii("error"), 5, ByteString.ascii("failed")), false);

    assertThat(log.render(answer(4, SECRET), false)).contains("s3cr3t");
    assertThat(log.render(answer(5, SECRET), false)).contains("s3cr3t");
  }
}
