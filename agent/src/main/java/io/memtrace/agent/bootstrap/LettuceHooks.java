package io.memtrace.agent.bootstrap;

/**
 * Called by the Lettuce advice. A Lettuce command is dispatched on one thread (the application's,
 * which knows the span it belongs to) and completed later on another (a Netty event loop, or a
 * thread that cancels it). So a command is two events: its start, published when it is dispatched
 * ({@link #dispatched}), and its end, published when it completes ({@link LettuceCompletionHooks}); the
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
}
