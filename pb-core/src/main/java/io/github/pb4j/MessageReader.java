package io.github.pb4j;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaException;
import io.github.pb4j.banana.internal.BananaReader;
import io.github.pb4j.banana.internal.BananaScanner;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.internal.JellyReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a connection's incoming bytes into PB's events: owns the bytes not yet read, the Banana
 * decoder and the one-pass readers, chooses between the two paths, checks each message's envelope
 * (command, field count, request ids, method name) and reports what it read to a {@link Handler}.
 * Java form of Twisted's {@code Banana.dataReceived} + {@code Broker.expressionReceived}.
 *
 * <p>Two paths, one outcome. Plain calls and answers (whose arguments are plain data: see {@link
 * JellyReader}) are read in one pass straight from the bytes; anything else is decoded into a
 * Banana tree and handed on still jellied. A message the one-pass reader declines is left unread
 * for the decoder, which judges it with its exact errors; the handler sees the same events either
 * way. A message larger than one read is kept until the {@link BananaScanner} says it is whole
 * (up to {@link #MAX_AWAITED_MESSAGE_BYTES}) and then read in one pass too.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor.
 */
final class MessageReader {
  private static final Logger logger = LoggerFactory.getLogger(Broker.class);
  /** The largest message waited for to read in one pass; a larger one goes to the decoder. */
  static final int MAX_AWAITED_MESSAGE_BYTES = 1 << 20;
  private static final int PROTOCOL_VERSION = 6;
  private static final byte[] NO_BYTES = new byte[0];
  /**
   * What a decoded value is charged per estimated heap byte while its message is incomplete: its
   * own cost, and as much again for the Java values made from it once the message is whole.
   */
  private static final int DECODED_INPUT_FACTOR = 2;

  /** What the reader reports; implemented by the {@link Broker}. */
  interface Handler {
    /** Before the handshake: the server's dialect offer, or the client's choice. */
    void handshake(Object expression);

    /**
     * A call to one of this side's objects. {@code args} and {@code kwargs} were read in one pass
     * if {@code jellied} is false (each a {@link JellyReader.WithReferences} if it holds remote
     * references, resolved once the target is found), else they are Banana expressions still to
     * unjelly (after the target is found, as Twisted does).
     */
    void message(Object requestId, Object objectId, ByteString method, boolean answerRequired,
        @Nullable Object args, @Nullable Object kwargs, boolean jellied);

    /** A call to a cache observer: as {@link #message}, always jellied. */
    void cacheMessage(Object requestId, Object cacheId, ByteString method, boolean answerRequired,
        Object args, Object kwargs);

    /**
     * The answer to a call of ours; {@code body} is jellied unless read in one pass (then a {@link
     * JellyReader.WithReferences} if it holds remote references).
     */
    void answer(int requestId, @Nullable Object body, boolean jellied);

    /** The failure of a call of ours; {@code body} is jellied. */
    void error(int requestId, Object body);

    /** The peer released one reference to an object of ours. */
    void decref(int luid);

    /** The peer released one copy of a cache of ours. */
    void decache(Object luid);

    /** The owner of a copy we hold stopped observing. */
    void uncache(Object luid);

    /** The peer broke the protocol: the connection ends. */
    void protocolError(String reason);
  }

  private final Handler handler;
  private final long connectionId;
  private final BrokerOptions options;
  private Dialect dialect = Dialect.NONE;
  /**
   * The general decoder, for the handshake, messages too large for one pass, and TRACE; made when
   * needed and dropped after the handshake, so an idle connection holds none.
   */
  private @Nullable BananaDecoder decoder;
  private final BananaReader reader;
  private final JellyReader jellyReader;
  /** Tells when a message that spans reads is whole; made for the first such message. */
  private @Nullable BananaScanner scanner;
  private final FrameLog frameLog;
  /**
   * Input held between reads, charged to the connection's limit and the shared budget; only while
   * some is held (an idle connection holds none).
   */
  private @Nullable InputCharge inputCharge;

  private @Nullable ByteBuf cumulation;
  private boolean handshaking = true;
  private boolean stopped;
  /** The first buffered message spans reads; {@link #scanner} tells when it is whole. */
  private boolean awaitingWholeMessage;
  /** False only in tests that compare the one-pass reading with the general path. */
  private boolean onePassAllowed = true;
  /** Messages read in one pass so far; for tests. */
  private long onePassReads;
  /** In the current dialect: an empty dict, skipped as the common kwargs. */
  private byte[] emptyDict = NO_BYTES; // then the writer's, shared by every connection

  MessageReader(Handler handler, long connectionId, BrokerOptions options, FrameLog frameLog) {
    this.handler = handler;
    this.connectionId = connectionId;
    this.frameLog = frameLog;
    this.options = options;
    this.reader = new BananaReader(options.bananaLimits(), Dialect.NONE);
    this.jellyReader = new JellyReader(reader, options.maxDepth());
    // References are resolved by whoever takes the call or answer (after it has found the
    // target, as the unjellier would), so reading them here has no side effect.
    jellyReader.readRemoteReferences();
  }

  /** The handshake is over: messages follow, in {@code dialect}; {@code emptyDict} as it encodes. */
  void open(Dialect dialect, byte[] emptyDict) {
    this.dialect = dialect;
    BananaDecoder d = decoder;
    if (d != null) {
      d.setDialect(dialect);
    }
    reader.setDialect(dialect);
    this.emptyDict = emptyDict;
    handshaking = false;
  }

  /** Reads nothing more: the connection is closing. */
  void stop() {
    stopped = true;
  }

  /** Reads nothing more and releases the bytes kept: the connection is gone. */
  void release() {
    stopped = true;
    dropHeldInput();
  }

  /** For tests: reads everything through the decoder and the unjellier (TRACE logging does too). */
  void disableOnePassReading() {
    onePassAllowed = false;
  }

  long onePassReads() {
    return onePassReads;
  }

  /** Reads what {@code data} completes; does not take ownership of it. */
  void receive(ByteBuf data) {
    if (stopped) {
      return;
    }
    ByteBuf in = data;
    if (cumulation != null && cumulation.isReadable()) {
      cumulation.writeBytes(data);
      in = cumulation;
    }
    boolean fast = onePassAllowed && !logger.isTraceEnabled();
    if (!fast && awaitingWholeMessage) {
      awaitingWholeMessage = false; // TRACE was switched on: the decoder reads it
      resetScanner();
    }
    boolean windowOpen = false;
    boolean windowBehind = false;
    while (!stopped) {
      if (fast && !handshaking && (decoder == null || !decoder.isInsideExpression())) {
        if (!in.isReadable()) {
          break;
        }
        boolean onePass = true;
        if (awaitingWholeMessage) {
          BananaScanner.Result scanned = scanner().scan(in);
          if (scanned == BananaScanner.Result.INCOMPLETE) {
            break; // the rest of the message is still to come
          }
          awaitingWholeMessage = false;
          resetScanner();
          onePass = scanned == BananaScanner.Result.COMPLETE; // else the decoder judges it
        }
        if (onePass) {
          if (!windowOpen || reader.isEmpty()) {
            reader.begin(in);
            windowOpen = true;
          } else if (windowBehind) {
            reader.follow(in); // the decoder took the last message: skip it, copying nothing
          }
          windowBehind = false;
          if (readPlainMessage(in)) {
            continue;
          }
          if (reader.truncated() && in.readableBytes() < MAX_AWAITED_MESSAGE_BYTES) {
            // A message larger than this read: keep the bytes until it is whole (the scanner
            // says when, in one pass over it), then read it in one pass too.
            awaitingWholeMessage = true;
            break;
          }
        }
        windowBehind = true;
      }
      Object expression;
      try {
        expression = decoder().decode(in);
      } catch (BananaException e) {
        stopWith("malformed banana: " + e.getMessage());
        break;
      }
      if (expression == null) {
        break;
      }
      expressionReceived(expression);
    }
    keepRemainder(in, data);
    chargeHeldInput();
    reader.trim();
    BananaDecoder d = decoder;
    if (d != null && !d.isInsideExpression()) {
      // Made again for the next message that needs it (one carrying a reference, an error):
      // cheaper than every idle connection holding one.
      decoder = null;
    }
  }

  private BananaDecoder decoder() {
    BananaDecoder d = decoder;
    if (d == null) {
      d = new BananaDecoder(options.bananaLimits(), dialect);
      decoder = d;
    }
    return d;
  }

  private BananaScanner scanner() {
    BananaScanner s = scanner;
    if (s == null) {
      s = new BananaScanner(options.bananaLimits(), MAX_AWAITED_MESSAGE_BYTES);
      scanner = s;
    }
    return s;
  }

  private void resetScanner() {
    scanner = null; // made again for the next message that spans reads
  }

  private void keepRemainder(ByteBuf in, ByteBuf data) {
    if (stopped) {
      return;
    }
    if (in == data) {
      if (data.isReadable()) {
        if (cumulation == null) {
          cumulation = Unpooled.buffer(Math.max(256, data.readableBytes()));
        }
        cumulation.writeBytes(data);
      }
    } else if (cumulation != null) {
      if (cumulation.isReadable()) {
        cumulation.discardReadBytes();
      } else {
        // Not kept for the next message: an idle connection holds no buffer.
        cumulation.release();
        cumulation = null;
      }
    }
  }

  /**
   * Charges the input this connection holds until more bytes arrive (the bytes kept and, twice,
   * the estimated cost of the part of a message already decoded) to the connection's limit and to
   * the budget it shares with others; ends the connection if either would be passed. A message
   * that arrives whole in one read is never charged.
   */
  private void chargeHeldInput() {
    if (!stopped) {
      long held = (cumulation == null ? 0 : cumulation.capacity())
          + DECODED_INPUT_FACTOR * (decoder == null ? 0 : decoder.expressionCost());
      InputCharge charge = inputCharge;
      if (charge == null) {
        if (held == 0) {
          return; // the usual case: a read of whole messages
        }
        charge = new InputCharge(options);
        inputCharge = charge;
      }
      String refusal = charge.hold(held);
      if (refusal == null) {
        if (held == 0) {
          inputCharge = null; // all given back
        }
        return;
      }
      stopWith(refusal);
    }
    dropHeldInput();
  }

  /** Frees the input held for an incomplete message and gives its charge back; on close. */
  private void dropHeldInput() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
    if (decoder != null) {
      decoder.reset();
    }
    resetScanner();
    awaitingWholeMessage = false;
    if (inputCharge != null) {
      inputCharge.release();
      inputCharge = null;
    }
  }

  /**
   * Reads and reports the next message in one pass if it is a plain call or answer; returns false,
   * having consumed nothing, for anything else.
   */
  private boolean readPlainMessage(ByteBuf in) {
    BananaReader r = reader;
    try {
      int count = r.nextList();
      if (count != BrokerCommand.MESSAGE.size && count != BrokerCommand.ANSWER.size
          && count != BrokerCommand.DECREF.size) {
        // Not a call or an answer: read nothing past its header (after an empty list, the next
        // token is the next message's, and a read stopped by its end would wait for the rest).
        throw BananaReader.Unsupported.INSTANCE;
      }
      int type = r.next();
      if (count == BrokerCommand.MESSAGE.size && r.is(type, BrokerCommand.MESSAGE.wire)) {
        Object requestId = plainAtom(r.next());
        int objectType = r.next();
        Object objectId = r.is(objectType, ExportTable.ROOT) ? ExportTable.ROOT : plainAtom(objectType);
        int methodType = r.next();
        Object method = methodType == BananaReader.STRING ? r.sharedByteString() : plainAtom(methodType);
        Object flag = plainAtom(r.next());
        Object args = jellyReader.read();
        // Most calls have no keyword arguments: an empty dict, which needs no map.
        Object kwargs = r.skipIf(emptyDict) ? Map.of() : jellyReader.read();
        r.commit(in);
        onePassReads++;
        ByteString name = methodName(method);
        if (name != null) {
          handler.message(requestId, objectId, name, Sexps.isTrue(flag), args, kwargs, false);
        }
        return true;
      }
      if (count == BrokerCommand.ANSWER.size && r.is(type, BrokerCommand.ANSWER.wire)) {
        if (r.next() != BananaReader.INT || r.longValue() != (int) r.longValue()) {
          throw BananaReader.Unsupported.INSTANCE;
        }
        int requestId = (int) r.longValue();
        Object value = jellyReader.read();
        r.commit(in);
        onePassReads++;
        handler.answer(requestId, value, false);
        return true;
      }
      if (count == BrokerCommand.DECREF.size && r.is(type, BrokerCommand.DECREF.wire)) {
        // Every released reference ends in one: common enough not to wake the decoder for.
        if (r.next() != BananaReader.INT || r.longValue() != (int) r.longValue()) {
          throw BananaReader.Unsupported.INSTANCE;
        }
        int luid = (int) r.longValue();
        r.commit(in);
        onePassReads++;
        handler.decref(luid);
        return true;
      }
    } catch (BananaReader.Unsupported e) {
      // Fall through: the general path decides, with its exact errors.
    }
    r.rollback();
    return false;
  }

  /** Returns the atom just read as the decoder would: an int or a byte string; declines the rest. */
  private Object plainAtom(int type) {
    switch (type) {
      case BananaReader.INT:
        return reader.number();
      case BananaReader.STRING:
        return reader.byteString();
      case BananaReader.VOCAB:
        return reader.word();
      default:
        throw BananaReader.Unsupported.INSTANCE;
    }
  }

  /** Checks and reports one message read by the decoder. */
  private void expressionReceived(Object expression) {
    if (logger.isTraceEnabled()) {
      logger.trace("<< [conn {}] {}", connectionId, frameLog.render(expression, false));
    }
    if (handshaking) {
      handler.handshake(expression);
      return;
    }
    if (!(expression instanceof List<?> message) || message.isEmpty()
        || !(message.get(0) instanceof ByteString commandName)) {
      stopWith("message: " + Sexps.abbreviate(expression) + " (expected: [command, ...])");
      return;
    }
    BrokerCommand command = BrokerCommand.fromWire(commandName);
    if (command == null) {
      stopWith("unknown command " + commandName.toPythonRepr());
      return;
    }
    if (message.size() != command.size) {
      stopWith(commandName.toStringUtf8() + " fields: " + message.size() + " (expected: " + command.size + ")");
      return;
    }
    switch (command) {
      case MESSAGE: {
        ByteString method = methodName(message.get(3));
        if (method != null) {
          handler.message(message.get(1), message.get(2), method, Sexps.isTrue(message.get(4)),
              message.get(5), message.get(6), true);
        }
        break;
      }
      case CACHEMESSAGE: {
        ByteString method = methodName(message.get(3));
        if (method != null) {
          handler.cacheMessage(message.get(1), message.get(2), method, Sexps.isTrue(message.get(4)),
              message.get(5), message.get(6));
        }
        break;
      }
      case ANSWER:
      case ERROR: {
        Object requestId = message.get(1);
        if (!(requestId instanceof Integer id)) {
          stopWith(command.wire.toStringUtf8() + " to unknown request id " + Sexps.abbreviate(requestId));
        } else if (command == BrokerCommand.ANSWER) {
          handler.answer(id, message.get(2), true);
        } else {
          handler.error(id, message.get(2));
        }
        break;
      }
      case DECREF:
        if (message.get(1) instanceof Integer luid) {
          handler.decref(luid);
        } else {
          stopWith("decref of " + Sexps.abbreviate(message.get(1)) + " (expected: an exported luid)");
        }
        break;
      case VERSION:
        if (!Integer.valueOf(PROTOCOL_VERSION).equals(message.get(1))) {
          stopWith("version: " + Sexps.abbreviate(message.get(1)) + " (expected: " + PROTOCOL_VERSION + ")");
        }
        break;
      case DECACHE:
        handler.decache(message.get(1));
        break;
      case UNCACHE:
        handler.uncache(message.get(1));
        break;
      case DID_NOT_UNDERSTAND:
        logger.debug("[conn {}] peer did not understand {}", connectionId, Sexps.abbreviate(message.get(1)));
        break;
      default:
        throw new AssertionError(command);
    }
  }

  /** Returns the method name if it is UTF-8 bytes, else reports a protocol error and returns null. */
  private @Nullable ByteString methodName(Object raw) {
    if (!(raw instanceof ByteString name)) {
      stopWith("method name: " + Sexps.abbreviate(raw) + " (expected: bytes)");
      return null;
    }
    if (!name.isAscii()) {
      try {
        name.toStringUtf8();
      } catch (IllegalArgumentException e) {
        stopWith("method name: " + name.toPythonRepr() + " (expected: UTF-8)");
        return null;
      }
    }
    return name;
  }

  private void stopWith(String reason) {
    handler.protocolError(reason);
  }
}
