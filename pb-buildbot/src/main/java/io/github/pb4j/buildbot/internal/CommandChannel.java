package io.github.pb4j.buildbot.internal;

import io.github.pb4j.RemoteReference;
import io.github.pb4j.jelly.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way back from one running command to the master's {@code RemoteCommand}: status updates
 * ({@code stdout}, {@code stderr}, {@code header}, {@code log}, {@code rc}, ...) cut into whole
 * lines, batched, and sent in order as {@code update} calls, then one {@code complete}.
 *
 * <p>Batches hold at most {@link #MAX_BATCH_CHARS} UTF-8 bytes of text, and no text piece is
 * larger, far below Banana's 640 KiB string limit; pieces are cut between characters (never
 * inside a UTF-8 sequence or a surrogate pair). A batch goes out when it is full, {@link
 * #LINGER} after its first entry, or at the end. Every call is made on one sender thread, so
 * the wire order is the order of {@link #send}. Producers call {@link #awaitWritable} to
 * slow down while the connection's output queue is full. <em>Thread-safe.</em>
 */
public final class CommandChannel {
  private static final Logger logger = LoggerFactory.getLogger(CommandChannel.class);

  /** The largest text piece and batch, in UTF-8 bytes (the Python worker's buffer size). */
  public static final int MAX_BATCH_CHARS = 64 * 1024;

  /** How long a partly filled batch waits for more. */
  public static final Duration LINGER = Duration.ofMillis(100);

  /** The Python worker's line limit. */
  public static final int MAX_LINE_LENGTH = 4096;

  private final RemoteReference commandRef;
  private final Executor sender;
  private final ScheduledExecutorService timers;
  private final int maxBatch;
  private final Map<String, LineBoundaryFinder> lines = new LinkedHashMap<>();
  private final java.util.Set<String> logNames = new java.util.HashSet<>();
  private final List<Object[]> pending = new ArrayList<>(); // {key, value, size}
  private int pendingBytes;
  private @Nullable ScheduledFuture<?> lingerTimer;
  private boolean silenced;
  private boolean completed;
  private CompletableFuture<@Nullable Object> lastSend = CompletableFuture.completedFuture(null);

  public CommandChannel(RemoteReference commandRef, Executor sender, ScheduledExecutorService timers) {
    this(commandRef, sender, timers, MAX_BATCH_CHARS);
  }

  CommandChannel(RemoteReference commandRef, Executor sender, ScheduledExecutorService timers, int maxBatch) {
    this.commandRef = commandRef;
    this.sender = sender;
    this.timers = timers;
    this.maxBatch = maxBatch;
  }

  /** Sends one status entry; text entries are cut into lines first. Ignored once silenced. */
  public synchronized void send(String key, @Nullable Object value) {
    if (silenced || completed) {
      return;
    }
    switch (key) {
      case "stdout", "stderr", "header" -> {
        String whole = finder(key).append(String.valueOf(value));
        if (whole != null) {
          addText(key, null, whole);
        }
      }
      case "log" -> {
        Tuple t = (Tuple) value;
        String name = String.valueOf(t.get(0));
        logNames.add(name);
        String whole = finder(name).append(String.valueOf(t.get(1)));
        if (whole != null) {
          addText("log", name, whole);
        }
      }
      default -> add(key, value, 20);
    }
  }

  private LineBoundaryFinder finder(String stream) {
    return lines.computeIfAbsent(stream, s -> new LineBoundaryFinder(MAX_LINE_LENGTH));
  }

  private void addText(String key, @Nullable String logName, String text) {
    int start = 0;
    while (start < text.length()) {
      int end = cutPoint(text, start, maxBatch);
      String piece = text.substring(start, end);
      int size = utf8Length(piece);
      Object[] last = pending.isEmpty() ? null : pending.get(pending.size() - 1);
      if (last != null && last[0].equals(key) && java.util.Objects.equals(last[3], logName)
          && (int) last[2] + size <= maxBatch) {
        last[1] = last[1] + piece;
        last[2] = (int) last[2] + size;
        pendingBytes += size;
        afterAdd();
      } else {
        add(key, piece, size, logName);
      }
      start = end;
    }
  }

  private void add(String key, @Nullable Object value, int size) {
    add(key, value, size, null);
  }

  private void add(String key, @Nullable Object value, int size, @Nullable String logName) {
    if (pendingBytes + size > maxBatch) {
      flushLocked();
    }
    pending.add(new Object[] {key, value, size, logName});
    pendingBytes += size;
    afterAdd();
  }

  private void afterAdd() {
    if (pendingBytes >= maxBatch) {
      flushLocked();
    } else if (lingerTimer == null) {
      try {
        lingerTimer = timers.schedule(this::flush, LINGER.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        flushLocked(); // The worker is stopping: no more timers.
      }
    }
  }

  /** Returns the end of the longest piece from {@code start} of at most {@code maxBytes} UTF-8 bytes. */
  static int cutPoint(String text, int start, int maxBytes) {
    int bytes = 0;
    int i = start;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > maxBytes && i > start) {
        break;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    return i;
  }

  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Sends what is buffered now (whole lines only). */
  public synchronized void flush() {
    flushLocked();
  }

  private void flushLocked() {
    if (lingerTimer != null) {
      lingerTimer.cancel(false);
      lingerTimer = null;
    }
    if (pending.isEmpty()) {
      return;
    }
    List<Object> updates = new ArrayList<>(pending.size());
    for (Object[] e : pending) {
      Object value = e[0].equals("log") ? Tuple.of(e[3], e[1]) : e[1];
      Map<String, @Nullable Object> update = new HashMap<>(1);
      update.put((String) e[0], value);
      updates.add(List.of(update, 0));
    }
    pending.clear();
    pendingBytes = 0;
    call("update", updates);
  }

  private void call(String method, @Nullable Object arg) {
    CompletableFuture<@Nullable Object> done = new CompletableFuture<>();
    lastSend = done;
    sender.execute(() -> commandRef.callRemote(method, arg).whenComplete((r, e) -> {
      if (e != null) {
        logger.debug("{} to the master failed: {}", method, e.toString());
        done.completeExceptionally(e);
      } else {
        done.complete(r);
      }
    }));
  }

  /** Blocks while the connection's output queue is full (back-pressure for producers). */
  public void awaitWritable() {
    var broker = commandRef.broker();
    if (broker.isWritable()) {
      return;
    }
    try {
      broker.whenWritable().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      // Lost connection or a stuck peer: the command notices elsewhere.
    }
  }

  /**
   * Ends the command: flushes the partial lines of every stream, sends the last batch, then
   * {@code complete(failure)}. Returns a future of the master's acknowledgement.
   */
  public synchronized CompletableFuture<@Nullable Object> complete(@Nullable Object failure) {
    if (completed || silenced) {
      return CompletableFuture.completedFuture(null);
    }
    // In sorted order of the stream names, as the Python worker flushes.
    for (Map.Entry<String, LineBoundaryFinder> e : new java.util.TreeMap<>(lines).entrySet()) {
      String rest = e.getValue().flush();
      if (rest != null) {
        if (logNames.contains(e.getKey())) {
          addText("log", e.getKey(), rest);
        } else {
          addText(e.getKey(), null, rest);
        }
      }
    }
    flushLocked();
    completed = true;
    call("complete", failure);
    return lastSend;
  }

  /** Sends what whole lines are buffered, then nothing more: the command goes on silently. */
  public synchronized void silence() {
    if (!silenced && !completed) {
      flushLocked();
    }
    silenced = true;
  }

  /** Whether updates still go out. */
  public synchronized boolean isOpen() {
    return !silenced && !completed;
  }

  /** The future of the last call sent. */
  public synchronized CompletableFuture<@Nullable Object> lastSend() {
    return lastSend;
  }
}
