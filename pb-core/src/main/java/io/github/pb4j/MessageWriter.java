package io.github.pb4j;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.Jellier;
import io.github.pb4j.jelly.JellyRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a connection's outgoing messages into bytes: owns the Banana encoder and the jellier of
 * the agreed dialect, the headers encoded once per dialect, the message buffers ({@link
 * OutgoingBuffers}), the flushing, and the TRACE rendering of what goes out.
 *
 * <p>A call, answer or error is encoded as one transaction: the references and cache copies it
 * exports are committed once the whole message is encoded, and rolled back if it fails, so that a
 * message never sent exports nothing. Calls, answers and errors made while a message is being
 * encoded (by code the jellier runs, e.g. a {@code stateToCopyFor} calling the peer) wait in a
 * queue and go right after it ({@link #defer}, {@link #sendDeferred}).
 *
 * <p>Within {@link #beginBatch} / {@link #endBatch} (while the broker handles the bytes of one
 * read, or of a burst of reads) messages are written and flushed once, at the end.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor.
 */
final class MessageWriter {
  private static final Logger logger = LoggerFactory.getLogger(Broker.class);
  private static final int PROTOCOL_VERSION = 6;
  private static final byte[] NO_BYTES = new byte[0];

  /**
   * What every message of a dialect starts with, encoded once per dialect for every connection:
   * the {@code [b'message', } and {@code [b'answer', } headers, the root's id, an empty dict.
   */
  private static final class Encoded {
    private static final Encoded[] BY_DIALECT = new Encoded[Dialect.values().length];

    static {
      for (Dialect d : Dialect.values()) {
        BY_DIALECT[d.ordinal()] = new Encoded(d);
      }
    }

    final byte[] messageHeader;
    final byte[] answerHeader;
    final byte[] rootId;
    final byte[] emptyDict;

    private Encoded(Dialect dialect) {
      BananaEncoder encoder = new BananaEncoder(dialect, BananaLimits.DEFAULT);
      messageHeader = encoded(b -> writeHeader(encoder, b, BrokerCommand.MESSAGE));
      answerHeader = encoded(b -> writeHeader(encoder, b, BrokerCommand.ANSWER));
      rootId = encoded(b -> encoder.writeBytes(b, ExportTable.ROOT));
      emptyDict = encoded(b -> new Jellier(encoder, JellyRegistry.EMPTY, null).jelly(Map.of(), b));
    }

    static Encoded of(Dialect dialect) {
      return BY_DIALECT[dialect.ordinal()];
    }
  }

  private final long connectionId;
  private final BrokerOptions options;
  private final MessageSink sink;
  private final ExportTable exports;
  private final CacheTables caches;
  private final Flavors flavors;
  private final FrameLog frameLog;
  private final OutgoingBuffers outgoing;
  /** Calls, answers and errors made while a message was being encoded, sent right after it. */
  private @Nullable ArrayDeque<Runnable> deferred; // made at the first deferred send

  private BananaEncoder encoder;
  private Jellier jellier;
  /** The constants of the current dialect, shared by every connection. */
  private Encoded encoded = Encoded.of(Dialect.NONE);
  /** The last method name called and its encoding: callers mostly repeat a name. */
  private @Nullable String lastMethod;
  private byte[] lastMethodBytes = NO_BYTES;
  /** Batches begun and not ended: flushes wait for the end of the outermost. */
  private int batchDepth;
  private boolean needsFlush;

  MessageWriter(long connectionId, BrokerOptions options, MessageSink sink, ExportTable exports,
      CacheTables caches, Flavors flavors, FrameLog frameLog) {
    this.connectionId = connectionId;
    this.options = options;
    this.sink = sink;
    this.exports = exports;
    this.caches = caches;
    this.flavors = flavors;
    this.frameLog = frameLog;
    this.outgoing = new OutgoingBuffers(sink);
    this.encoder = new BananaEncoder(Dialect.NONE, options.bananaLimits());
    this.jellier = new Jellier(encoder, options.registry(), flavors, options.maxDepth());
    setDialect(Dialect.NONE);
  }

  /** Writes in {@code dialect} from now on. */
  void setDialect(Dialect dialect) {
    encoder = new BananaEncoder(dialect, options.bananaLimits());
    jellier = new Jellier(encoder, options.registry(), flavors, options.maxDepth());
    encoded = Encoded.of(dialect);
    lastMethod = null;
    lastMethodBytes = NO_BYTES;
  }

  /** Returns an empty dict as the current dialect encodes it. */
  byte[] emptyDict() {
    return encoded.emptyDict;
  }

  // ---------------------------------------------------------------- batching and sending

  /**
   * Holds flushes back until the matching {@link #endBatch}: the broker is reading. Messages
   * finished meanwhile stay in the scratch buffer and leave together at the end (see {@link
   * OutgoingBuffers}). Batches nest: the outermost one ends the batch.
   */
  void beginBatch() {
    if (batchDepth++ == 0) {
      outgoing.hold(!logger.isTraceEnabled()); // TRACE renders each message as it is sent
    }
  }

  /** Runs {@code task} in a batch: one flush at its end (none of its own inside a batch). */
  void batch(Runnable task) {
    beginBatch();
    try {
      task.run();
    } finally {
      endBatch();
    }
  }

  /** Ends a batch; at the end of the outermost, writes what was held and flushes what was written. */
  void endBatch() {
    if (batchDepth == 0 || --batchDepth > 0) {
      return;
    }
    outgoing.hold(false);
    boolean flush = needsFlush;
    needsFlush = false;
    ByteBuf held = outgoing.takeHeld();
    if (held != null) {
      sink.write(held);
      flush = true;
    }
    if (flush) {
      sink.flush();
    }
  }

  /**
   * Writes the messages held for the end of the batch now, without flushing: before the
   * connection is closed, so that they go first.
   */
  void writeHeld() {
    ByteBuf held = outgoing.takeHeld();
    if (held != null) {
      sink.write(held);
    }
  }

  /**
   * Writes {@code buf} to the transport (which takes it), flushing unless in a batch. {@link
   * OutgoingBuffers#HELD} (a message held in the scratch buffer) is written at the end of the
   * batch; anything else goes after what is held.
   */
  void send(ByteBuf buf) {
    if (buf == OutgoingBuffers.HELD) {
      needsFlush = true; // holding happens only in a batch
      return;
    }
    if (logger.isTraceEnabled()) {
      logger.trace(">> [conn {}] {}", connectionId, describe(buf));
    }
    ByteBuf held = outgoing.takeHeld();
    if (held != null) {
      sink.write(held);
    }
    sink.write(buf);
    if (batchDepth > 0) {
      needsFlush = true;
    } else {
      sink.flush();
    }
  }

  /** Returns true while a call, answer or error is being encoded. */
  boolean isEncoding() {
    return outgoing.isEncoding();
  }

  /** Sends {@code send} once the message being encoded is out. */
  void defer(Runnable send) {
    ArrayDeque<Runnable> d = deferred;
    if (d == null) {
      d = new ArrayDeque<>(4);
      deferred = d;
    }
    d.add(send);
  }

  /** Sends what was {@linkplain #defer deferred}, unless a message is being encoded again. */
  void sendDeferred() {
    Runnable r;
    ArrayDeque<Runnable> d = deferred;
    while (d != null && !outgoing.isEncoding() && (r = d.poll()) != null) {
      r.run();
    }
  }

  /** Releases the buffers kept for reuse; at the end of the connection. */
  void release() {
    outgoing.release();
  }

  // ---------------------------------------------------------------- the handshake and small commands

  /** A server's first words: the dialects it speaks, preferred first. */
  void sendDialectOffer(List<Dialect> dialects) {
    ByteBuf buf = sink.alloc().buffer();
    encoder.writeListHeader(buf, dialects.size());
    for (Dialect d : dialects) {
      encoder.writeBytes(buf, d.wireName());
    }
    send(buf);
  }

  /** A client's answer to the offer, written in the dialect before it. */
  void sendDialectChoice(Dialect dialect) {
    ByteBuf buf = sink.alloc().buffer();
    encoder.writeBytes(buf, dialect.wireName());
    send(buf);
  }

  void sendVersion() {
    ByteBuf buf = sink.alloc().buffer(8);
    encoder.writeListHeader(buf, 2);
    encoder.writeBytes(buf, BrokerCommand.VERSION.wire);
    encoder.writeInt(buf, PROTOCOL_VERSION);
    send(buf);
  }

  /** Sends {@code [command, luid]}: {@code decref}, {@code decache}, {@code uncache}. */
  void sendCommand(BrokerCommand command, int luid) {
    ByteBuf buf = sink.alloc().buffer(8);
    encoder.writeListHeader(buf, 2);
    encoder.writeBytes(buf, command.wire);
    encoder.writeInt(buf, luid);
    send(buf);
  }

  // ---------------------------------------------------------------- messages

  /**
   * Encodes a call ({@code message} or {@code cachemessage}) for {@link #send}, committing what it
   * exports.
   *
   * @throws RuntimeException or {@link Error} (what the jellier or code it ran threw) if it cannot
   *     be encoded; nothing is exported then
   */
  ByteBuf encodeCall(BrokerCommand command, int requestId, Object objectId, String method,
      boolean answerRequired, List<?> args, Map<String, ?> kwargs) {
    ByteBuf buf = outgoing.start();
    ByteBuf message = null;
    boolean done = false;
    begin();
    try {
      if (command == BrokerCommand.MESSAGE) {
        buf.writeBytes(encoded.messageHeader);
      } else {
        writeHeader(buf, command);
      }
      encoder.writeInt(buf, requestId);
      if (objectId instanceof Integer luid) {
        encoder.writeInt(buf, luid);
      } else if (objectId == ExportTable.ROOT) {
        buf.writeBytes(encoded.rootId);
      } else {
        encoder.writeBytes(buf, (ByteString) objectId);
      }
      writeMethodName(buf, method);
      encoder.writeInt(buf, answerRequired ? 1 : 0);
      try {
        jellier.jellyTuple(args, buf);
      } catch (RuntimeException e) {
        throw Jellier.withPathRoot(e, "args"); // say which argument cannot be sent
      }
      if (kwargs.isEmpty()) {
        buf.writeBytes(encoded.emptyDict);
      } else {
        try {
          jellier.jelly(kwargs, buf);
        } catch (RuntimeException e) {
          throw Jellier.withPathRoot(e, "kwargs");
        }
      }
      message = outgoing.copyForTransport(buf);
      commit();
      done = true;
      return message;
    } catch (RuntimeException | Error e) {
      undo(message);
      throw e;
    } finally {
      outgoing.end(buf, done);
    }
  }

  /**
   * Encodes the answer to a call for {@link #send}, with {@code perspective} as the perspective of
   * what it copies and views; commits what it exports.
   *
   * @throws RuntimeException or {@link Error} if it cannot be encoded; nothing is exported then
   */
  ByteBuf encodeAnswer(Object requestId, @Nullable Object value, @Nullable Object perspective) {
    ByteBuf buf = outgoing.start();
    ByteBuf message = null;
    boolean done = false;
    begin();
    flavors.setPerspective(perspective);
    try {
      buf.writeBytes(encoded.answerHeader);
      encoder.encode(requestId, buf);
      try {
        jellier.jelly(value, buf);
      } catch (RuntimeException e) {
        throw Jellier.withPathRoot(e, "result"); // say where in the result the part that cannot be sent is
      }
      message = outgoing.copyForTransport(buf);
      commit();
      done = true;
      return message;
    } catch (RuntimeException | Error e) {
      undo(message);
      throw e;
    } finally {
      flavors.setPerspective(null);
      outgoing.end(buf, done);
    }
  }

  /**
   * Encodes {@code [b'error', requestId, failure]} for {@link #send}.
   *
   * @throws RuntimeException if it cannot be encoded
   */
  ByteBuf encodeError(Object requestId, Object failure) {
    ByteBuf buf = outgoing.start();
    boolean done = false;
    try {
      encoder.writeListHeader(buf, 3);
      encoder.writeBytes(buf, BrokerCommand.ERROR.wire);
      encoder.encode(requestId, buf);
      jellier.jelly(failure, buf);
      ByteBuf message = outgoing.copyForTransport(buf);
      done = true;
      return message;
    } finally {
      outgoing.end(buf, done);
    }
  }

  private void begin() {
    exports.begin();
    caches.begin();
  }

  private void commit() {
    exports.commit();
    caches.commit();
  }

  /** Undoes a message whose encoding failed: releases its transport copy if made, rolls back its exports and caches. */
  private void undo(@Nullable ByteBuf message) {
    if (message != null) {
      message.release();
    }
    exports.rollback();
    caches.rollback();
  }

  private void writeHeader(ByteBuf buf, BrokerCommand command) {
    writeHeader(encoder, buf, command);
  }

  private static void writeHeader(BananaEncoder encoder, ByteBuf buf, BrokerCommand command) {
    encoder.writeListHeader(buf, command.size);
    encoder.writeBytes(buf, command.wire);
  }

  private void writeMethodName(ByteBuf buf, String method) {
    if (!method.equals(lastMethod)) {
      lastMethodBytes = encoded(b -> encoder.writeUtf8(b, method));
      lastMethod = method;
    }
    buf.writeBytes(lastMethodBytes);
  }

  /** Returns the bytes {@code writer} writes: constants written whole later. */
  private static byte[] encoded(Consumer<ByteBuf> writer) {
    ByteBuf buf = Unpooled.buffer(16);
    try {
      writer.accept(buf);
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  private String describe(ByteBuf buf) {
    try {
      Object sexp = new BananaDecoder(options.bananaLimits(), encoder.dialect()).decode(buf.duplicate());
      return sexp == null ? "(incomplete)" : frameLog.render(sexp, true);
    } catch (RuntimeException e) {
      return ByteBufUtil.hexDump(buf);
    }
  }
}
