package io.memtrace.agent.bootstrap;

/**
 * One Redis command and its outcome, staged on the thread that read its reply while the sink
 * copies it into the ring; cleared right after, so it pins nothing. One per thread, reused.
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

  void take(Object connection, Object socket, Object command, Object arguments, long startNanos,
      boolean handshake) {
    this.connection = connection;
    this.socket = socket;
    this.command = command;
    this.arguments = arguments;
    this.startNanos = startNanos;
    this.handshake = handshake;
    this.recorded = true;
  }

  void copy(RedisCall other) {
    take(other.connection, other.socket, other.command, other.arguments, other.startNanos, other.handshake);
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

  void clear() {
    origin = null;
    connection = null;
    socket = null;
    command = null;
    arguments = null;
    reply = null;
    error = null;
    handshake = false;
    recorded = false;
    hidden = false;
  }

  public Object connection() {
    return connection;
  }

  public Object socket() {
    return socket;
  }

  public Object command() {
    return command;
  }

  public Object origin() {
    return origin;
  }

  public Object arguments() {
    return arguments;
  }

  public long startNanos() {
    return startNanos;
  }

  public long endNanos() {
    return endNanos;
  }

  public Object reply() {
    return reply;
  }

  public Throwable error() {
    return error;
  }

  public boolean handshake() {
    return handshake;
  }

  public boolean hidden() {
    return hidden;
  }
}
