package io.memtrace.agent.bootstrap;

/**
 * The pipeline or transaction a thread is syncing: every reply the thread reads inside
 * {@code sync()}, {@code exec()} and the like joins it, and it becomes one span when the
 * outermost of those methods returns. Owned by that thread; reused.
 */
public final class RedisBatch {

  /** Commands recorded per batch; the rest are counted (the ring slot has room for this many). */
  public static final int CAPACITY = PendingCommands.CAPACITY;

  int depth;
  private long enteredNanos;
  private long startNanos;
  private long endNanos;
  private Object connection;
  private Object socket;
  private final Object[] commands = new Object[CAPACITY];
  private final Object[] arguments = new Object[CAPACITY];
  /**
   * Each recorded command's reply when it is a count ({@code Long}) or an array (a transaction's {@code EXEC}): what
   * a DEL in the batch removed. Other replies (values) are not held.
   */
  private final Object[] replies = new Object[CAPACITY];
  private int recorded;
  private int unrecorded;
  private int errors;
  private Throwable firstError;
  private String method;
  private Throwable thrown;

  void begin(long now) {
    enteredNanos = now;
    startNanos = now;
  }

  /**
   * A command answered (or failed to be sent) inside the batch with {@code reply}; {@code error} is its error reply.
   */
  void add(RedisCall call, Object reply, Throwable error) {
    if (recorded + unrecorded == 0 && call.recorded) {
      startNanos = Math.min(enteredNanos, call.startNanos()); // pipelined before sync() was called
    }
    if (call.recorded && recorded < CAPACITY) {
      if (recorded == 0) {
        connection = call.connection();
        socket = call.socket();
      }
      commands[recorded] = call.command();
      arguments[recorded] = call.arguments();
      replies[recorded] = reply instanceof Long || reply instanceof java.util.List ? reply : null;
      recorded++;
    } else {
      unrecorded++;
    }
    if (error != null && errors++ == 0) {
      firstError = error;
    }
  }

  boolean isEmpty() {
    return recorded + unrecorded == 0;
  }

  void end(String method, Throwable thrown, long now) {
    this.method = method;
    this.thrown = thrown;
    this.endNanos = now;
  }

  void clear() {
    for (int i = 0; i < recorded; i++) {
      commands[i] = null;
      arguments[i] = null;
      replies[i] = null;
    }
    recorded = 0;
    unrecorded = 0;
    errors = 0;
    firstError = null;
    connection = null;
    socket = null;
    method = null;
    thrown = null;
  }

  public long startNanos() {
    return startNanos;
  }

  public long endNanos() {
    return endNanos;
  }

  public Object connection() {
    return connection;
  }

  public Object socket() {
    return socket;
  }

  /** Commands recorded, at most {@link #CAPACITY}. */
  public int recorded() {
    return recorded;
  }

  public Object commandAt(int i) {
    return commands[i];
  }

  public Object argumentsAt(int i) {
    return arguments[i];
  }

  /** The reply of command {@code i} when it is a count or an array, else null. */
  public Object replyAt(int i) {
    return replies[i];
  }

  /** Commands answered in the batch but not recorded (past {@link #CAPACITY}, or never recorded). */
  public int unrecorded() {
    return unrecorded;
  }

  /** Error replies read in the batch. */
  public int errors() {
    return errors;
  }

  /** What the batch method threw, else the first error reply. */
  public Throwable error() {
    return thrown != null ? thrown : firstError;
  }

  /** The batch method ({@code sync}, {@code exec}, ...). */
  public String method() {
    return method;
  }
}
