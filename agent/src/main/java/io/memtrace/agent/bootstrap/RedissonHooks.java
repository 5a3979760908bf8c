package io.memtrace.agent.bootstrap;

import java.nio.ByteBuffer;

/**
 * Called by the Redisson advice. Like a Lettuce command (see {@link LettuceHooks}), a Redisson
 * command is sent on one thread ({@code RedisConnection.send}, on the thread that got the
 * connection) and completed later on the connection's event loop, which reads its reply; the two
 * halves are published as a start and an end and paired by the command object, Redisson's
 * {@code CommandData}, one per attempt. Redisson itself pairs each reply with its command (its
 * queue per channel); memtrace takes the reply where Redisson decodes it for that command.
 *
 * <p>Redisson's codecs hand the application decoded objects, so the reply is measured on the wire
 * ({@link RespReplies}) just before Redisson decodes it, on the same thread that then completes
 * the command; and the values a command was sent with are copied at its completion, before
 * Redisson releases their buffers ({@link RedissonParams}).
 *
 * <p>What a connection sends through {@code RedisConnection.async} or {@code sync} (its set-up:
 * {@code AUTH}, {@code HELLO}, {@code SELECT}, {@code CLIENT SETNAME}, {@code READONLY},
 * {@code PING}; its keep-alive {@code PING}s; a cluster's or Sentinel's topology queries, its
 * {@code PUBSUB NUMPAT} check) is Redisson's own work:
 * a handshake command, with no span unless {@code redis.handshake-spans} is on. The application's
 * commands are sent by Redisson's executors with {@code send} directly.
 *
 * <p>Counting is {@link LettuceHooks}'s. Every method catches everything.
 */
public final class RedissonHooks {

  private RedissonHooks() {
  }

  /**
   * {@code command} is being written to {@code connection} (Redisson's {@code RedisConnection},
   * whose Netty {@code channel} tells the server's address and follows {@code SELECT}).
   *
   * @param inTransaction queued between MULTI and EXEC of an atomic batch
   */
  public static void sent(Object connection, Object channel, Object command, boolean inTransaction) {
    if (!Bridge.redisEnabled() || command == null) {
      return;
    }
    try {
      ThreadContext context = ThreadContext.current();
      boolean handshake = context.redissonSetUp > 0;
      RedisCall call = context.redisCall;
      try {
        call.take(connection, channel, command, inTransaction ? LettuceHooks.IN_TRANSACTION : null,
            System.nanoTime(), handshake);
        call.origin = context.redissonSending; // sends its retries too: their parent is kept by it
        boolean ownSpan = !inTransaction && !(handshake && !RedisHooks.handshakeSpans);
        if (!Bridge.sink().publishCommandStart(context) && ownSpan) {
          Bridge.sink().countDropped(1);
        }
      } finally {
        call.clear();
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /**
   * {@link #sent} for a command of a batch named {@code name}: in an {@code atomic} batch every
   * command but {@code MULTI}, {@code EXEC} and the {@code WAIT}s after it is queued in the
   * transaction (Redisson answers those four itself, the others through EXEC's reply).
   */
  public static void sentInBatch(Object connection, Object channel, Object command, boolean atomic, String name) {
    sent(connection, channel, command, atomic && !answeredInBatch(name));
  }

  static boolean answeredInBatch(String name) {
    return "MULTI".equals(name) || "EXEC".equals(name) || "WAIT".equals(name) || "WAITAOF".equals(name);
  }

  /**
   * Entering {@code RedisConnection.send}: keeps the OpenTelemetry agent's Redisson span, which it
   * starts there, from starting (see {@link OtelSuppressor}).
   *
   * @return what {@link #endSuppression} takes on the way out; {@code null} when nothing is suppressed
   */
  public static Object suppressOtherSpans() {
    return Bridge.redisEnabled() ? OtelSuppressor.suppress(OtelSuppressor.Client.REDISSON) : null;
  }

  /** Leaving what {@link #suppressOtherSpans} entered. */
  public static void endSuppression(Object scope) {
    OtelSuppressor.restore(OtelSuppressor.Client.REDISSON, scope);
  }

  /** Sending {@code command} threw: it ends with that (Redisson fails its promise too). */
  public static void sendFailed(Object command, Throwable thrown) {
    if (!Bridge.redisEnabled() || command == null) {
      return;
    }
    try {
      end(ThreadContext.current(), command, thrown, null, null);
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** Entering {@code RedisConnection.async} or {@code sync}: what it sends is the connection's own work. */
  public static void settingUp() {
    ThreadContext.current().redissonSetUp++;
  }

  /** Leaving what {@link #settingUp} entered. */
  public static void setUp() {
    ThreadContext context = ThreadContext.current();
    if (context.redissonSetUp > 0) {
      context.redissonSetUp--;
    }
  }

  /**
   * The reply of {@code command} starts at {@code reply}'s position and is about to be decoded, on
   * this thread, which then completes it: measured now, kept for {@link #completing}.
   *
   * @param done whether the command had completed already (a timeout): then nothing is kept
   */
  public static void replyRead(Object command, boolean done, ByteBuffer reply) {
    if (!Bridge.redisEnabled() || command == null || done) {
      return;
    }
    try {
      ThreadContext context = ThreadContext.current();
      context.measuredCommand = command;
      context.measuredReply = RespReplies.measure(reply);
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /**
   * {@code command} is completing, with a reply or with {@code error}, before the application is
   * handed anything: its end is published first.
   *
   * @param done whether it was answered already (see {@link #answered}): a second completion publishes nothing
   */
  public static void completing(Object command, boolean done, Throwable error, String name, String subName,
      Object[] params) {
    if (!Bridge.redisEnabled() || command == null || done) {
      return;
    }
    try {
      ThreadContext context = ThreadContext.current();
      Object reply = null;
      if (context.measuredCommand == command) {
        reply = context.measuredReply;
      }
      context.measuredCommand = null;
      context.measuredReply = null;
      end(context, command, error, reply, RedissonParams.snapshot(name, subName, params));
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /**
   * Whether {@code promise}, a command's, was completed already with memtrace seeing it: its end was
   * published then. Redisson gives an attempt up by failing its promise itself, unseen: its response
   * timeout (with a {@code CancellationException} when it will retry, else a timeout exception) or
   * the application's cancel. Such an attempt still waits for its end: its late reply, or its
   * connection's failure, ends it, with what it was given up with. Redisson itself fails no command
   * whose channel closes: the advice ends those where the channel's queue is emptied
   * ({@code CommandsQueue.channelInactive}), those handed to a channel closed already, whose write
   * fails ({@code RedisConnection.send}), and those whose write fails where Netty runs it
   * ({@code CommandsQueue.write}), which takes them out of that queue.
   */
  public static boolean answered(java.util.concurrent.CompletableFuture<?> promise) {
    return promise.isDone() && givenUp(promise) == null;
  }

  /** What {@code promise} was given up with, if it was (see {@link #answered}); else {@code cause}. */
  public static Throwable failure(java.util.concurrent.CompletableFuture<?> promise, Throwable cause) {
    Throwable givenUp = givenUp(promise);
    return givenUp != null ? givenUp : cause;
  }

  private static Throwable givenUp(java.util.concurrent.CompletableFuture<?> promise) {
    if (!promise.isCompletedExceptionally()) {
      return null;
    }
    Throwable failure;
    try {
      promise.getNow(null);
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      failure = e.getCause() != null ? e.getCause() : e;
    } catch (RuntimeException e) { // a CancellationException is thrown as it is
      failure = e;
    }
    return failure instanceof java.util.concurrent.CancellationException
        || failure.getClass().getName().endsWith("TimeoutException") ? failure : null;
  }

  private static void end(ThreadContext context, Object command, Throwable error, Object reply, Object[] sent) {
    RedisCall call = context.redisCall;
    try {
      call.take(null, null, command, sent, 0, false);
      call.end(reply, error, System.nanoTime());
      Bridge.sink().publishCommandEnd(context);
    } finally {
      call.clear();
    }
  }
}
