package io.memtrace.agent.bootstrap;

import java.util.concurrent.CancellationException;

/**
 * Called by the Lettuce advice. A Lettuce command is dispatched on one thread (the application's,
 * which knows the span it belongs to) and completed later on another (a Netty event loop, or a
 * thread that cancels it). So a command is two events: its start, published when it is dispatched
 * ({@link #dispatched}), and its end, published when it completes ({@link #completing}); the
 * consumer pairs them by the command object itself (the innermost command of Lettuce's wrappers,
 * which every wrapper completes), never by thread or connection. The start is published before
 * the command is written, so it always precedes its end in the ring.
 *
 * <p>Counting, so that every span is counted once: a start that finds the ring full is counted as
 * dropped here (the consumer will never learn of the command; its end, should it come, pairs with
 * nothing and counts nothing), unless it makes no span of its own (a hidden handshake command, a
 * command queued in a transaction, whose MULTI span stands for it). An end that finds the ring
 * full is not counted: its start waits on the consumer and is counted when it expires.
 *
 * <p>Every method catches everything: nothing thrown here may reach the application.
 */
public final class LettuceHooks {

  /**
   * The arguments slot of a start event (Lettuce commands carry their arguments themselves): the
   * command was queued in a transaction, between MULTI and EXEC.
   */
  public static final Object IN_TRANSACTION = new Object();

  /** What {@link #completing} returns when it changed nothing, so {@link #completed} leaves it alone. */
  public static final Object UNCHANGED = new Object();

  /**
   * The error of an end that is a Redis Cluster redirection ({@link #redirecting}); the reply's text
   * goes in the end's reply slot, and the consumer makes the exception of it.
   */
  public static final Throwable REDIRECTED = redirected();

  /** The end of a cancelled command: one instance, so a cancel allocates nothing. */
  static final CancellationException CANCELLED = cancelled();

  private LettuceHooks() {
  }

  /**
   * A command is being written by {@code endpoint}, its connection's {@code DefaultEndpoint}, on
   * the thread that dispatched it.
   *
   * @param channel the endpoint's channel now (null while disconnected), for the server's address
   *     and the database a SELECT on it chose
   * @param command the innermost command (what every wrapper of it completes)
   * @param inTransaction whether Lettuce queued it in the connection's open transaction
   */
  public static void dispatched(Object endpoint, Object channel, Object command, boolean inTransaction) {
    if (!Bridge.redisEnabled() || command == null) {
      return;
    }
    try {
      if (Bridge.INJECT_FAILURE) {
        throw new IllegalStateException("memtrace: injected failure in LettuceHooks.dispatched");
      }
      ThreadContext context = ThreadContext.current();
      boolean setUp = context.lettuceSetUp > 0;
      start(context, endpoint, channel, command, inTransaction && !setUp ? IN_TRANSACTION : null, setUp);
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** A command the connection sends to set itself up ({@code HELLO}, {@code AUTH}, {@code SELECT}...). */
  public static void handshakeDispatched(Object channel, Object command) {
    if (!Bridge.redisEnabled() || command == null) {
      return;
    }
    try {
      start(ThreadContext.current(), channel, channel, command, null, true);
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  private static void start(ThreadContext context, Object connection, Object channel, Object command,
      Object marker, boolean handshake) {
    RedisCall call = context.redisCall;
    try {
      call.take(connection, channel, command, marker, System.nanoTime(), handshake);
      boolean ownSpan = marker == null && !(handshake && !RedisHooks.handshakeSpans);
      if (!Bridge.sink().publishCommandStart(context) && ownSpan) {
        Bridge.sink().countDropped(1);
      }
    } finally {
      call.clear();
    }
  }

  /**
   * Entering what Lettuce 5 sends by itself to set a connection up: the steps of its connect
   * future ({@code AUTH}, {@code CLIENT SETNAME}, {@code SELECT} of the {@code RedisURI}) and their
   * repetition on reconnect. Lettuce 5 has no separate handshake path: these are dispatched and
   * written like the application's commands, synchronously on this thread, so the commands
   * written while inside are handshake commands (no span by default; a SELECT still tells the
   * connection's database).
   *
   * @return what {@link #setUpDone} takes on the way out
   */
  public static int settingUp() {
    try {
      return ThreadContext.current().lettuceSetUp++;
    } catch (Throwable t) {
      Bridge.internalError(t);
      return -1;
    }
  }

  /** Leaving what {@link #settingUp} entered; {@code depth} is what it returned. */
  public static void setUpDone(int depth) {
    if (depth < 0) {
      return;
    }
    try {
      ThreadContext.current().lettuceSetUp = depth;
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** Dispatching {@code command} threw: it ends with that, unless it was completed meanwhile. */
  public static void dispatchFailed(Object command, Throwable thrown) {
    if (!Bridge.redisEnabled() || command == null) {
      return;
    }
    try {
      end(ThreadContext.current(), command, thrown);
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /**
   * Entering a completion ({@code complete}, {@code completeExceptionally}, {@code cancel}) of a
   * command or of one of its wrappers. Wrappers complete what they wrap, inside their own call, so
   * only the outermost call on this thread publishes the end: it comes first, before the
   * application's future completes, so the end is in the ring before anything the application
   * does next (its memory span must end after its Redis children, in ring order too).
   *
   * @param command the innermost command
   * @param done whether it had completed already (a second completion publishes nothing)
   * @param error what it completes with, or null ({@link #CANCELLED} for a cancel)
   * @return what {@link #completed} takes on the way out
   */
  public static Object completing(Object command, boolean done, Throwable error) {
    if (!Bridge.redisEnabled() || command == null) {
      return UNCHANGED;
    }
    try {
      ThreadContext context = ThreadContext.current();
      Object outer = context.completing;
      if (outer == command) {
        return UNCHANGED; // a wrapper of it is completing it on this thread, and reported it
      }
      if (!done) {
        end(context, command, error);
      }
      context.completing = command;
      return outer;
    } catch (Throwable t) {
      Bridge.internalError(t);
      return UNCHANGED;
    }
  }

  /** {@link #completing} for a cancel. */
  public static Object cancelling(Object command, boolean done) {
    return completing(command, done, CANCELLED);
  }

  /**
   * A Redis Cluster command's reply was read, before Lettuce acts on it: when it is {@code MOVED} or
   * {@code ASK}, and the client will follow it, this attempt ends here with that error, read now
   * (Lettuce clears it from the command's output before it writes the command to the node named,
   * whose reply then fills the same output). The retry is dispatched afterwards, a new start of the
   * same command, so each attempt is a span with the address of the node that answered it.
   *
   * @param command the innermost command
   * @param error the command's error reply, or null when Lettuce will not follow it (no redirections left)
   */
  public static void redirecting(Object command, String error) {
    if (error == null || !Bridge.redisEnabled() || command == null
        || !(error.startsWith("MOVED ") || error.startsWith("ASK "))) {
      return;
    }
    try {
      end(ThreadContext.current(), command, error, REDIRECTED);
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /**
   * Entering {@code CommandHandler.channelRead}: the commands completed on this thread until {@link #readDone} were
   * answered on {@code channel}. Their ends carry it, as the channel their spans name: a command's start took the
   * endpoint's channel when it was dispatched, which is not the one it goes out on when the connection was down
   * then (Lettuce buffers the command and writes it after reconnecting, perhaps to another server after a
   * failover).
   *
   * @return what {@link #readDone} takes on the way out
   */
  public static Object reading(Object channel) {
    if (!Bridge.redisEnabled()) {
      return UNCHANGED;
    }
    try {
      ThreadContext context = ThreadContext.current();
      Object outer = context.lettuceChannel;
      context.lettuceChannel = channel;
      return outer;
    } catch (Throwable t) {
      Bridge.internalError(t);
      return UNCHANGED;
    }
  }

  /** Leaving what {@link #reading} entered; {@code outer} is what it returned. */
  public static void readDone(Object outer) {
    if (outer == UNCHANGED) {
      return;
    }
    try {
      ThreadContext.current().lettuceChannel = outer;
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** Leaving a completion: {@code outer} is what {@link #completing} returned. */
  public static void completed(Object outer) {
    if (outer == UNCHANGED) {
      return;
    }
    try {
      ThreadContext.current().completing = outer;
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  private static void end(ThreadContext context, Object command, Throwable error) {
    end(context, command, null, error);
  }

  private static void end(ThreadContext context, Object command, Object reply, Throwable error) {
    RedisCall call = context.redisCall;
    try {
      call.take(null, context.lettuceChannel, command, null, 0, false);
      call.end(reply, error, System.nanoTime());
      Bridge.sink().publishCommandEnd(context);
    } finally {
      call.clear();
    }
  }

  /** Entering a dispatch: keeps the OpenTelemetry agent's Lettuce span from starting (see {@link OtelSuppressor}). */
  public static Object suppressOtherSpans() {
    return Bridge.redisEnabled() ? OtelSuppressor.suppress(OtelSuppressor.Client.LETTUCE) : null;
  }

  /**
   * Whether a reactive command should be left for its dispatch to trace: Lettuce's reactive API
   * takes the OpenTelemetry agent's context when the command is subscribed to, before its dispatch
   * (where {@link #suppressOtherSpans} applies); left undecorated, it is traced at its dispatch.
   */
  public static boolean leavesTracingToDispatch() {
    return Bridge.redisEnabled() && OtelSuppressor.suppresses(OtelSuppressor.Client.LETTUCE);
  }

  /** Leaving what {@link #suppressOtherSpans} entered. */
  public static void endSuppression(Object scope) {
    OtelSuppressor.restore(OtelSuppressor.Client.LETTUCE, scope);
  }

  private static Throwable redirected() {
    Throwable marker = new IllegalStateException("a Redis Cluster redirection");
    marker.setStackTrace(new StackTraceElement[0]);
    return marker;
  }

  private static CancellationException cancelled() {
    CancellationException e = new CancellationException("the command was cancelled");
    e.setStackTrace(new StackTraceElement[0]); // made at class initialization: that place says nothing
    return e;
  }
}
