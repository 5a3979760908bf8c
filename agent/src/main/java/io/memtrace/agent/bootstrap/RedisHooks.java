package io.memtrace.agent.bootstrap;

/**
 * Called by the Jedis advice. A command is written on a connection ({@link #sent}) and becomes a
 * span when a reply is read from that same connection ({@link #replied}), on whichever thread:
 * {@link PendingCommands} pairs them. Replies read inside {@code sync()}, {@code exec()} and the
 * like join that thread's {@link RedisBatch} instead, which becomes one span when the outermost
 * batch method returns ({@link JedisScopes} tracks where the thread is: a batch, a transaction's opening, the
 * pub/sub loop, a connection's set-up).
 *
 * <p>Every method catches everything: nothing thrown here may reach the application.
 */
public final class RedisHooks {

  /** The pending commands of every connection. */
  static final ConnectionRegistry CONNECTIONS = new ConnectionRegistry();

  /** {@code redis.handshake-spans}: whether commands a connection sends to set itself up get spans. */
  static volatile boolean handshakeSpans;

  /**
   * {@code capture.fingerprints}: whether a bulk-string reply is handed to the consumer (a reference, as every
   * other reply is) rather than its length only, so that the consumer can fingerprint the value read.
   */
  static volatile boolean keepBulkReplies;

  private RedisHooks() {
  }

  /** Set by the agent from its configuration before it installs the bridge. */
  public static void keepBulkReplies(boolean keep) {
    keepBulkReplies = keep;
  }

  /** Whether a bulk-string reply is handed to the consumer itself ({@link #keepBulkReplies}). */
  public static boolean bulkRepliesKept() {
    return keepBulkReplies;
  }

  /** Set by the agent from its configuration before it installs the bridge. */
  public static void recordHandshakes(boolean record) {
    handshakeSpans = record;
  }

  /** Whether commands a connection sends to set itself up get spans ({@link #recordHandshakes}). */
  public static boolean handshakesRecorded() {
    return handshakeSpans;
  }

  /**
   * A command was written (or failed to be written) on {@code connection}.
   *
   * @param command Jedis 4+: the {@code CommandArguments}; Jedis 3: the {@code ProtocolCommand}
   * @param args Jedis 3: the {@code byte[][]} arguments; Jedis 4+: {@code null}
   */
  public static void sent(Object connection, Object socket, Object command, Object args,
      long startNanos, Throwable error) {
    if (!Bridge.redisEnabled()) {
      return;
    }
    try {
      if (Bridge.INJECT_FAILURE) {
        throw new IllegalStateException("memtrace: injected failure in RedisHooks.sent");
      }
      ThreadContext context = ThreadContext.current();
      PendingCommands pending = pendingOf(context, connection, true);
      boolean handshake = pending.inHandshake();
      if (error == null) {
        pending.add(socket, command, args, startNanos, handshake);
        return;
      }
      // not (wholly) written: no reply will come, so the command ends here, out of the queue
      RedisCall call = context.redisCall;
      call.take(connection, socket, command, args, startNanos, handshake);
      finish(context, call, null, error);
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** A reply (or an error reply, or a broken connection) was read from {@code connection}. */
  public static void replied(Object connection, Object reply, Throwable error) {
    if (!Bridge.redisEnabled()) {
      return;
    }
    try {
      if (Bridge.INJECT_FAILURE) {
        throw new IllegalStateException("memtrace: injected failure in RedisHooks.replied");
      }
      ThreadContext context = ThreadContext.current();
      PendingCommands pending = pendingOf(context, connection, false);
      if (pending == null) {
        return; // nothing sent on it since memtrace started
      }
      RedisCall call = context.redisCall;
      if (context.pubSubDepth > 0 && error == null) {
        int kind = Subscriptions.kind(reply);
        if (kind == Subscriptions.MESSAGE) {
          return; // pushed to the subscriber: no command asked for it
        }
        if (kind != Subscriptions.NOT_PUB_SUB) {
          confirmed(context, pending, call, kind, reply);
          return;
        }
      }
      long number = pending.answer(call);
      if (number < 0) {
        return;
      }
      try {
        if (context.openingTransaction > 0 && error == null && call.recorded) {
          openTransaction(pending, call);
        } else {
          joinOpenedTransaction(context, pending);
          finish(context, call, reply, error);
        }
      } finally {
        pending.release(number); // only now: until the sink copied the command, it is read in its slot
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** A subscribe or unsubscribe confirmation: the last one due answers the command. */
  private static void confirmed(ThreadContext context, PendingCommands pending, RedisCall call,
      int kind, Object reply) {
    long number = pending.peek(call);
    if (number < 0) {
      return;
    }
    if (pending.subscriptions == null) {
      pending.subscriptions = new Subscriptions(); // once per connection that subscribes
    }
    int named = Subscriptions.channelsNamed(call.command(), call.arguments());
    if (pending.subscriptions.confirm(number, kind, reply, named) && pending.consume(number)) {
      finish(context, call, reply, null);
    } else {
      call.clear();
    }
  }

  /** Keeps Jedis 3's answered {@code MULTI} for the batch that will read its {@code EXEC}. */
  private static void openTransaction(PendingCommands pending, RedisCall call) {
    if (pending.openedTransaction == null) {
      pending.openedTransaction = new RedisCall(); // once per connection with a Jedis 3 transaction
    } else if (pending.openedTransaction.recorded) {
      Bridge.sink().countDropped(1); // a MULTI whose transaction never reached exec()
    }
    pending.openedTransaction.copy(call);
    call.clear();
  }

  /** The first reply a batch reads from a connection brings in the MULTI that opened it, first. */
  private static void joinOpenedTransaction(ThreadContext context, PendingCommands pending) {
    RedisCall opened = pending.openedTransaction;
    if (opened != null && opened.recorded && context.redisBatch.depth > 0) {
      context.redisBatch.add(opened, null, null);
      opened.clear();
    }
  }

  /** The command in {@code call} is answered: into the batch, the ring, or (handshake) nowhere. */
  private static void finish(ThreadContext context, RedisCall call, Object reply, Throwable error) {
    try {
      // set-up traffic the application never asked for is hidden unless asked for: no span, and
      // not a loss either, but the consumer still learns the database a SELECT chose
      call.hidden = call.handshake() && !handshakeSpans;
      if (context.redisBatch.depth > 0) {
        if (!call.hidden) {
          context.redisBatch.add(call, reply, error);
        }
      } else if (!call.recorded) {
        if (!call.hidden) {
          Bridge.sink().countDropped(1);
        }
      } else {
        call.answered(reply, error, System.nanoTime());
        Bridge.sink().publishRedisCommand(context);
      }
    } finally {
      call.clear();
    }
  }

  /**
   * Flushing {@code connection} threw {@code error} (nothing when {@code null}): the commands still pending were not
   * (wholly) written and no reply will come, so each ends now with that error, as the caller sees it.
   */
  public static void unwritten(Object connection, Throwable error) {
    if (error == null || !Bridge.redisEnabled()) {
      return;
    }
    try {
      PendingCommands pending = pendingOf(ThreadContext.current(), connection, false);
      for (long owed = pending == null ? 0 : pending.pending(); owed > 0; owed--) {
        replied(connection, null, error);
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** {@code connection} was closed: what it still owed replies to is dropped, and counted. */
  public static void closed(Object connection) {
    if (!Bridge.redisEnabled()) {
      return;
    }
    try {
      PendingCommands pending = pendingOf(ThreadContext.current(), connection, false);
      long lost = pending == null ? 0 : pending.discardAll(handshakeSpans);
      if (pending != null && pending.openedTransaction != null && pending.openedTransaction.recorded) {
        pending.openedTransaction.clear();
        lost++; // its transaction never reached exec()
      }
      if (lost > 0) {
        Bridge.sink().countDropped(lost);
      }
    } catch (Throwable t) {
      Bridge.internalError(t);
    }
  }

  /** Commands written on {@code connection} and not yet answered; for diagnostics and checks. */
  public static long pending(Object connection) {
    PendingCommands pending = CONNECTIONS.find(connection);
    return pending == null ? 0 : pending.pending();
  }

  /** The connection's pending commands, through the thread's one-entry cache. */
  static PendingCommands pendingOf(ThreadContext context, Object connection, boolean add) {
    PendingCommands last = context.lastConnection;
    if (last != null && last.get() == connection) {
      return last;
    }
    PendingCommands found = add ? CONNECTIONS.findOrAdd(connection) : CONNECTIONS.find(connection);
    if (found != null) {
      context.lastConnection = found;
    }
    return found;
  }
}
