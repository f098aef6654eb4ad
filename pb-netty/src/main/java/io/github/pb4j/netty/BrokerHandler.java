package io.github.pb4j.netty;

import io.github.pb4j.Broker;
import io.github.pb4j.BrokerOptions;
import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.LogContext;
import io.github.pb4j.MessageSink;
import io.github.pb4j.banana.PbException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins a channel to its {@link Broker}: the last inbound handler of a PB pipeline. The Netty
 * counterpart of the {@code Protocol} half of Twisted's {@code pb.Broker}.
 *
 * <p>When the channel becomes active the handler makes the broker (a server broker sends its
 * dialect offer at once), hands it every inbound {@link ByteBuf} (the broker keeps its own
 * cumulation, so no frame decoder is needed in front), and reports the end of the channel with
 * {@link Broker#connectionLost}. The broker writes through a {@link MessageSink} over this
 * handler's context; its {@code close} flushes what is queued before closing, and forces the close
 * after {@value #CLOSE_GRACE_SECONDS} seconds if the peer does not read.
 *
 * <p>{@link PbServer} and {@link PbClient} build their pipelines with it; a custom pipeline ends
 * with one handler per channel, behind any TLS or proxy handlers:
 *
 * <pre>{@code
 * ch.pipeline().addLast(sslContext.newHandler(ch.alloc()));
 * ch.pipeline().addLast(BrokerHandler.server(root, BrokerOptions.DEFAULT));
 * }</pre>
 *
 * <p>Backpressure: while the channel is unwritable (outbound bytes above the high water mark) the
 * handler stops reading from the peer, so a peer that sends calls without reading the answers
 * cannot make this side buffer without bound; the broker's page producers see the same state
 * through {@link MessageSink#isWritable()} and are resumed ({@link Broker#resumeProducing()})
 * when the channel drains.
 *
 * <p><em>Not thread-safe;</em> confined to the channel's event loop. One instance per channel
 * (not {@code @Sharable}).
 */
public final class BrokerHandler extends ChannelInboundHandlerAdapter {
  /** Seconds a closing connection may take to flush before it is closed regardless. */
  public static final int CLOSE_GRACE_SECONDS = 5;

  private static final Logger logger = LoggerFactory.getLogger(BrokerHandler.class);

  /** Makes the broker of a channel that has just become active. */
  @FunctionalInterface
  public interface BrokerFactory {
    /** Returns a new broker writing to {@code sink}; called once, on {@code executor}. */
    Broker create(MessageSink sink, EventExecutor executor);
  }

  /** Hears of the life of a handler's connection: a server's bookkeeping. Called on the event loop. */
  interface Listener {
    /**
     * The broker has been made and is the handler's ({@link #startedBroker} returns it); it is
     * told {@link Broker#connectionMade} next. Whatever this throws ends the connection unstarted.
     * Does nothing by default.
     */
    default void started(Broker broker) {}

    /** The broker has handled the end of the connection on {@code channel}, or never started. */
    void ended(Channel channel);
  }

  private final BrokerFactory factory;
  private final @Nullable Listener listener;
  // The futures of broker() and lost() are made when asked for: a server asks for neither while
  // a connection lives. Guarded by this; outcome is the broker or what failed it.
  private @Nullable CompletableFuture<Broker> brokerFuture;
  private @Nullable Object outcome;
  private @Nullable CompletableFuture<@Nullable Void> lost;
  private boolean ended;
  /** The broker, for other threads once started ({@link #startedBroker}). */
  private volatile @Nullable Broker broker;
  private @Nullable ChannelHandlerContext context;
  private @Nullable Throwable failure;
  /**
   * Set from the first read of a burst to {@link #channelReadComplete}: the broker flushes what
   * the burst made it send once, at the end ({@link Broker#beginReads}).
   */
  private boolean readBurst;
  /**
   * The broker's log context stays entered from the first read of a burst to its end, entered
   * once rather than twice per message: set only where {@link #channelReadComplete} is sure to
   * follow before anything else runs (this handler first in the pipeline, on the channel's own
   * event loop, see {@link #burstEndsInReadLoop}) and no other context was current.
   */
  private boolean contextHeld;
  /** Ends a burst that {@link #channelReadComplete} did not end; runs after the event loop's I/O. */
  private final Runnable endBurstLater = () -> endBurst(null);
  /** Reading paused because the outbound buffer is full / the peer has too many calls in progress. */
  private boolean outputFull;
  private boolean callsFull;

  /** Creates a handler whose broker {@code factory} makes. */
  public BrokerHandler(BrokerFactory factory) {
    this(factory, null);
  }

  /** Creates a handler that tells {@code listener} of its connection's start and end. */
  BrokerHandler(BrokerFactory factory, @Nullable Listener listener) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.listener = listener;
  }

  /** Creates the handler of a server connection serving {@code root} as {@code b'root'}. */
  public static BrokerHandler server(Object root, BrokerOptions options) {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(options, "options");
    return new BrokerHandler((sink, executor) -> Broker.server(root, options, sink, executor));
  }

  /**
   * Creates the handler of a server connection whose root {@code rootFactory} makes, with the new
   * broker (Twisted's {@code IPBRoot.rootObject(broker)}).
   */
  public static BrokerHandler server(Function<Broker, Object> rootFactory, BrokerOptions options) {
    Objects.requireNonNull(rootFactory, "rootFactory");
    Objects.requireNonNull(options, "options");
    return new BrokerHandler(
        (sink, executor) -> Broker.server(rootFactory, options, sink, executor));
  }

  /** Creates the handler of a client connection. */
  public static BrokerHandler client(BrokerOptions options) {
    Objects.requireNonNull(options, "options");
    return new BrokerHandler((sink, executor) -> Broker.client(options, sink, executor));
  }

  /**
   * Returns a future of this channel's broker. It completes on the event loop when the channel
   * becomes active, or fails with {@link ConnectionLostException} if the channel closes first;
   * dependent stages that are not {@code async} run on the event loop and must not block.
   */
  public CompletableFuture<Broker> broker() {
    synchronized (this) {
      CompletableFuture<Broker> f = brokerFuture;
      if (f == null) {
        f = brokerFuture = new CompletableFuture<>();
        settle(f, outcome);
      }
      return f.copy();
    }
  }

  private static void settle(CompletableFuture<Broker> f, @Nullable Object outcome) {
    if (outcome instanceof Broker b) {
      f.complete(b);
    } else if (outcome instanceof Throwable t) {
      f.completeExceptionally(t);
    }
  }

  private void brokerOutcome(Object result) {
    CompletableFuture<Broker> f;
    synchronized (this) {
      if (outcome != null) {
        return;
      }
      outcome = result;
      f = brokerFuture;
    }
    if (f != null) {
      settle(f, result);
    }
  }

  /** The broker once it has started, else null; any thread. */
  @Nullable Broker startedBroker() {
    return broker;
  }

  /** Completes after the broker has handled the end of the connection (or it never started). */
  CompletableFuture<@Nullable Void> lost() {
    synchronized (this) {
      CompletableFuture<@Nullable Void> f = lost;
      if (f == null) {
        f = lost = ended ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
      }
      return f.copy();
    }
  }

  private void ended(Channel channel) {
    CompletableFuture<@Nullable Void> f;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      f = lost;
    }
    if (f != null) {
      f.complete(null);
    }
    if (listener != null) {
      listener.ended(channel);
    }
  }

  /**
   * Closes {@code channel}, this handler's, as {@link Broker#close} does: what was written reaches
   * the socket first (for at most {@link #CLOSE_GRACE_SECONDS}), as Twisted's {@code
   * loseConnection}. A channel whose broker has not started yet closes at once.
   */
  void closeGracefully(Channel channel) {
    try {
      channel.eventLoop().execute(() -> {
        Broker b = broker;
        if (b != null) {
          LogContext.run(b, b::close);
        } else {
          channel.close();
        }
      });
    } catch (RejectedExecutionException e) {
      channel.close(); // the event loop is gone: nothing more can be written anyway
    }
  }

  /** Starts the broker at once if the handler joins a channel that is already active. */
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  private void start(ChannelHandlerContext ctx) {
    if (broker != null) {
      return;
    }
    Broker b;
    context = ctx;
    try {
      b = factory.create(new ChannelSink(this, ctx), ctx.executor());
      broker = b;
      Broker previous = LogContext.enter(b);
      try {
        if (listener != null) {
          listener.started(b);
        }
        b.connectionMade();
      } finally {
        LogContext.exit(previous);
      }
    } catch (Throwable t) {
      // From the factory, the listener (a server's onConnection) or connectionMade, an exception
      // or an error: this connection ends without having started; the others go on. A broker
      // that exists still hears connectionLost, which releases what it holds.
      brokerOutcome(new ConnectionLostException("the connection did not start", t));
      fail(ctx, t, "cannot start the connection; closing");
      return;
    }
    brokerOutcome(b);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    Broker b = broker;
    Broker previous = b != null && !contextHeld ? LogContext.enter(b) : null;
    try {
      if (b != null) {
        b.options().observer().bytesReceived(b, buf.readableBytes());
        if (!readBurst) {
          readBurst = true;
          b.beginReads();
          if (ctx.pipeline().first() != this) {
            // The channel's own read loop always ends with channelReadComplete; a handler in
            // front (TLS) may fire reads without one, e.g. data decrypted during a handshake.
            // Safety net: end the burst once the event loop runs its tasks.
            ctx.executor().execute(endBurstLater);
          } else if (previous == null && burstEndsInReadLoop(ctx)) {
            contextHeld = true; // Left by endBurst.
          }
        }
        b.receive(buf);
      }
    } catch (Throwable t) {
      fail(ctx, t);
    } finally {
      buf.release();
      if (b != null && !contextHeld) {
        LogContext.exit(previous);
      }
    }
  }

  /**
   * Returns whether the channel's own read loop delivers this burst, on the channel's event
   * loop, and so ends it with {@link #channelReadComplete} before it runs anything else: not for
   * a handler given its own executor, nor for an {@link EmbeddedChannel}, whose reads a test may
   * write one by one without ever completing them.
   */
  private static boolean burstEndsInReadLoop(ChannelHandlerContext ctx) {
    return ctx.executor() == ctx.channel().eventLoop()
        && !(ctx.channel() instanceof EmbeddedChannel);
  }

  /**
   * Leaves the log context a burst holds, should its end never come (the channel's read loop
   * always ends a burst; this is a safety net).
   */
  private void releaseHeldContext() {
    if (contextHeld) {
      contextHeld = false;
      LogContext.exit(null);
    }
  }

  /** Flushes once what the reads of this burst made the broker send. */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    endBurst(ctx);
    super.channelReadComplete(ctx);
  }

  private void endBurst(@Nullable ChannelHandlerContext ctx) {
    if (!readBurst) {
      return;
    }
    readBurst = false;
    Broker b = broker;
    if (b == null) {
      return;
    }
    Broker previous = contextHeld ? null : LogContext.enter(b);
    contextHeld = false;
    try {
      b.endReads();
    } catch (Throwable t) {
      ChannelHandlerContext c = ctx != null ? ctx : context;
      if (c != null) {
        fail(c, t);
      }
    } finally {
      LogContext.exit(previous);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    Broker b = broker;
    Broker previous = b != null ? LogContext.enter(b) : null;
    try {
      if (b != null) {
        b.connectionLost(failure);
      } else {
        brokerOutcome(
            new ConnectionLostException("connection closed before the broker started", failure));
      }
    } finally {
      ended(ctx.channel());
      if (b != null) {
        LogContext.exit(previous);
      }
      releaseHeldContext();
    }
    super.channelInactive(ctx);
  }

  /**
   * Ends the broker if the handler leaves the pipeline while the channel is still open, so that
   * its pending calls fail rather than hang; after {@link #channelInactive} this does nothing.
   */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    try {
      if (broker != null) {
        broker.connectionLost(failure);
      } else {
        brokerOutcome(new ConnectionLostException("connection not established", failure));
      }
    } finally {
      ended(ctx.channel());
      releaseHeldContext();
    }
  }

  /**
   * Closes the connection when the peer ends its TLS session ({@code close_notify}): Twisted's
   * {@code loseConnection} over TLS sends one and then waits for the other side to close, which
   * Netty's TLS handler does not do by itself.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof SslCloseCompletionEvent) {
      logger.debug("[{}] the peer ended TLS; closing", connection(ctx));
      ctx.close();
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    boolean writable = ctx.channel().isWritable();
    outputFull = !writable;
    updateAutoRead(ctx);
    Broker b = broker;
    Broker previous = b != null ? LogContext.enter(b) : null;
    try {
      if (writable && b != null) {
        b.resumeProducing();
      }
      if (logger.isDebugEnabled()) {
        logger.debug("[{}] {} reading: outbound buffer {}", connection(ctx),
            writable ? "resumed" : "paused", writable ? "drained" : "full");
      }
    } finally {
      if (b != null) {
        LogContext.exit(previous);
      }
    }
    super.channelWritabilityChanged(ctx);
  }

  /** Stops or resumes reading because the peer has too many calls in progress (the sink's word). */
  void pauseReading(ChannelHandlerContext ctx, boolean pause) {
    callsFull = pause;
    updateAutoRead(ctx);
  }

  /** Reads from the peer unless the output is full or the peer has too many calls in progress. */
  private void updateAutoRead(ChannelHandlerContext ctx) {
    // Turning auto-read back on makes the channel read at once.
    ctx.channel().config().setAutoRead(!outputFull && !callsFull);
  }

  /**
   * Closes the connection on any exception from the pipeline. Looks through Netty's {@link
   * DecoderException} (thrown by handlers such as TLS) to its cause, which becomes the cause of the
   * broker's {@link ConnectionLostException}s. Logged at WARN, except I/O errors (a peer resetting
   * the connection is no fault of either side), logged at DEBUG.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Broker b = broker;
    Broker previous = b != null ? LogContext.enter(b) : null;
    try {
      fail(ctx, cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause);
    } finally {
      if (b != null) {
        LogContext.exit(previous);
      }
    }
  }

  /**
   * Ends this connection, and only this one, for {@code reason}: an exception, or an error such as
   * {@link OutOfMemoryError} thrown while a message was handled. The event loop and every other
   * connection go on. After a {@link VirtualMachineError} the broker lets go of what it holds at
   * once (the message being received, its pending calls) so that the memory is free before anything
   * else needs it, and nothing this method does may throw.
   */
  void fail(ChannelHandlerContext ctx, Throwable reason) {
    fail(ctx, reason, "closing connection");
  }

  private void fail(ChannelHandlerContext ctx, Throwable reason, String what) {
    if (failure == null) {
      failure = reason;
    }
    try {
      ctx.close();
      if (reason instanceof VirtualMachineError && broker != null) {
        broker.connectionLost(reason);
      }
    } catch (Throwable t) {
      reason.addSuppressed(t);
    }
    try {
      if (reason instanceof IOException) {
        logger.debug("[{}] {}: {}", connection(ctx), what, reason.toString());
      } else if (reason instanceof PbException || reason instanceof VirtualMachineError) {
        logger.warn("[{}] {}: {}", connection(ctx), what, reason.toString());
      } else {
        logger.warn("[{}] {}", connection(ctx), what, reason);
      }
    } catch (Throwable t) {
      // Out of memory even for a log line: the connection is closed all the same.
    }
  }

  private String connection(ChannelHandlerContext ctx) {
    return broker != null ? "conn " + broker.connectionId() : ctx.channel().toString();
  }
}
