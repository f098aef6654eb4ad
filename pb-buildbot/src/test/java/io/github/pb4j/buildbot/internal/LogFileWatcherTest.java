package io.github.pb4j.buildbot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileWatcherTest {
  @TempDir Path dir;
  private final List<String> sent = new ArrayList<>();

  @Test
  void sendsAFileCreatedAfterTheStartOnceAndNothingAfterStop() throws Exception {
    Path log = dir.resolve("my.log");
    LogFileWatcher w = new LogFileWatcher((name, text) -> sent.add(name + ":" + text), "mylog", log, false);
    w.poll();
    assertThat(sent).isEmpty();
    Files.writeString(log, "one\ntwo\n");
    w.stop();
    // A poll the timer had queued behind stop() must not read the file again from its start.
    w.poll();
    assertThat(String.join("", sent)).isEqualTo("mylog:one\ntwo\n");
  }

  @Test
  void followSendsWhatIsWrittenAfterTheFirstChangeWasSeen() throws Exception {
    // Python's follow: once the file changed, it seeks to the end it has then.
    Path log = dir.resolve("old.log");
    Files.writeString(log, "before\n");
    LogFileWatcher w = new LogFileWatcher((name, text) -> sent.add(text), "l", log, true);
    Files.writeString(log, "changed\n", StandardOpenOption.APPEND);
    w.poll();
    Files.writeString(log, "after\n", StandardOpenOption.APPEND);
    w.stop();
    assertThat(String.join("", sent)).isEqualTo("after\n");
  }
}
