package io.memtrace.agent.bootstrap;

/**
 * One Redis command and its outcome, staged on the thread that read its reply while the sink
 * copies it into the ring; cleared right after, so it pins nothing. One per thread, reused.
 *
 * <p>A Jedis command answered on its connection is not copied here: the call points at its slot in
 * the connection's {@link PendingCommands}, which stays the command's until the sink has copied it
 * (see {@link PendingCommands#answer}), and the accessors read it there.
 */
public final class RedisCall {

  Object connection;
  Object socket;
  /** Jedis 4+: the {@code CommandArguments}; Jedis 3: the {@code ProtocolCommand}. */
  Object command;
  /** Jedis 3: the {@code byte[][]} arguments; Jedis 4+: {@code null}. */
  Object arguments;
  long startNanos;
  long endNanos;
  Object reply;
  /** The length of a bulk-string reply kept by {@link #answered} in place of the reply itself, or -1. */
  int replyLength = -1;
  Throwable error;
  /** Written while the connection set itself up (see {@link PendingCommands#inHandshake()}). */
  boolean handshake;
  /** False for a command only numbered because its connection had too many pending. */
  boolean recorded;
  /**
   * A handshake command that gets no span ({@code redis.handshake-spans: false}): the consumer only
   * learns from it (the database a {@code SELECT} chose), and losing it is not a loss to count.
   */
  boolean hidden;
  /** What sent the command and would send its retry (Redisson's executor), or null. */
  Object origin;
  /**
   * The pending commands whose slot {@link #slot} holds this command, when that is not -1. Not cleared: a
   * thread's last connection's state is kept anyway ({@code ThreadContext.lastConnection}), and writing it only
   * when the connection changes spares the write barrier.
   */
  private PendingCommands source;
  private int slot = -1;

  void take(Object connection, Object socket, Object command, Object arguments, long startNanos,
      boolean handshake) {
    this.connection = connection;
    this.socket = socket;
    this.command = command;
    this.arguments = arguments;
    this.startNanos = startNanos;
    this.handshake = handshake;
    this.recorded = true;
    this.slot = -1;
  }

  void copy(RedisCall other) {
    take(other.connection(), other.socket(), other.command(), other.arguments(), other.startNanos(),
        other.handshake());
  }

  /** The command in {@code pending}'s {@code slot}, read there until {@link #clear} or {@link #detach}. */
  void point(PendingCommands pending, int slot) {
    clear();
    if (source != pending) {
      source = pending;
    }
    this.slot = slot;
    this.recorded = true;
  }

  /** Copies the command out of the slot {@link #point} named, before that slot is released. */
  void detach() {
    if (slot >= 0) {
      copy(this);
    }
  }

  void takeUnrecorded(Object connection) {
    clear();
    this.connection = connection;
  }

  void end(Object reply, Throwable error, long endNanos) {
    this.reply = reply;
    this.error = error;
    this.endNanos = endNanos;
  }

  /**
   * Ends a command whose span needs no more of a bulk-string reply ({@code byte[]}) than its length: only the
   * length is kept, sparing the write barrier a reference stored here costs, and the array is not pinned; unless
   * value fingerprints are on ({@link RedisHooks#keepBulkReplies}), which need the bytes on the consumer thread.
   */
  void answered(Object reply, Throwable error, long endNanos) {
    if (reply instanceof byte[]) {
      this.replyLength = ((byte[]) reply).length;
      // with fingerprints, the consumer hashes the array itself: the reference is handed over, never a copy
      this.reply = RedisHooks.keepBulkReplies ? reply : null;
    } else {
      this.reply = reply;
      this.replyLength = -1;
    }
    this.error = error;
    this.endNanos = endNanos;
  }

  void clear() {
    slot = -1;
    origin = null;
    connection = null;
    socket = null;
    command = null;
    arguments = null;
    reply = null;
    replyLength = -1;
    error = null;
    handshake = false;
    recorded = false;
    hidden = false;
  }

  public Object connection() {
    return slot >= 0 ? source.get() : connection;
  }

  public Object socket() {
    return slot >= 0 ? source.socketAt(slot) : socket;
  }

  public Object command() {
    return slot >= 0 ? source.commandAt(slot) : command;
  }

  public Object origin() {
    return origin;
  }

  public Object arguments() {
    return slot >= 0 ? source.argumentsAt(slot) : arguments;
  }

  public long startNanos() {
    return slot >= 0 ? source.startNanosAt(slot) : startNanos;
  }

  public long endNanos() {
    return endNanos;
  }

  public Object reply() {
    return reply;
  }

  /** The length of a bulk-string reply, however it was staged; -1 for any other reply (see {@link #reply()}). */
  public int replyLength() {
    return replyLength >= 0 ? replyLength : reply instanceof byte[] ? ((byte[]) reply).length : -1;
  }

  public Throwable error() {
    return error;
  }

  public boolean handshake() {
    return slot >= 0 ? source.handshakeAt(slot) : handshake;
  }

  public boolean hidden() {
    return hidden;
  }
}
