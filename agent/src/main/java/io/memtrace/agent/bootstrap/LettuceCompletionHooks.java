package io.memtrace.agent.bootstrap;

import java.util.concurrent.CancellationException;

/**
 * Called by the Lettuce advice at the end of a command: its completion (on a Netty event loop, or a
 * thread that cancels it), a failed dispatch, or a Redis Cluster redirection; the start is
 * {@link LettuceHooks}'. Only the outermost completion on a thread publishes the end, carrying the
 * channel the reply was read on; the consumer pairs it with its start by the command object. An end
 * that finds the ring full is not counted: its start waits on the consumer and is counted when it
 * expires.
 *
 * <p>Every method catches everything: nothing thrown here may reach the application.
 */
public final class LettuceCompletionHooks {

  /** What {@link #completing} returns when it changed nothing, so {@link #completed} leaves it alone. */
  public static final Object UNCHANGED = new Object();

  /**
   * The error of an end that is a Redis Cluster redirection ({@link #redirecting}); the reply's text
   * goes in the end's reply slot, and the consumer makes the exception of it.
   */
  public static final Throwable REDIRECTED = redirected();

  /** The end of a cancelled command: one instance, so a cancel allocates nothing. */
  static final CancellationException CANCELLED = cancelled();

  private LettuceCompletionHooks() {
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
