package io.memtrace.agent.bootstrap;

/**
 * What memtrace keeps per application thread: the Redis commands sent but not yet answered (a
 * FIFO, because Redis answers in order), and the state of a pipeline or transaction being synced.
 *
 * <p>Allocated once per thread; the hot path only reads and writes its fields. Jedis connections
 * are used by one thread at a time, so no field needs to be shared with another thread.
 */
public final class ThreadContext {

  /** How many unanswered commands are remembered; a longer pipeline is counted, not recorded. */
  public static final int QUEUE_CAPACITY = 16;
  private static final int MASK = QUEUE_CAPACITY - 1;

  private static final ThreadLocal<ThreadContext> CURRENT = ThreadLocal.withInitial(ThreadContext::new);

  public static ThreadContext current() {
    return CURRENT.get();
  }

  private final Object[] connections = new Object[QUEUE_CAPACITY];
  private final Object[] sockets = new Object[QUEUE_CAPACITY];
  private final Object[] commands = new Object[QUEUE_CAPACITY];
  private final Object[] arguments = new Object[QUEUE_CAPACITY];
  private final long[] startNanos = new long[QUEUE_CAPACITY];
  private int head;
  private int size;
  /** Commands sent while the queue was full: they are counted, but nothing else is known. */
  private int overflow;

  /** The last command sent, kept even when the queue overflowed (EXEC ends a transaction). */
  private Object lastCommand;
  private Object lastArguments;

  int batchDepth;
  long batchStartNanos;
  int batchErrors;
  Throwable batchFirstError;

  /** The outcome being published; set just before the sink is called, cleared right after. */
  private Object stagedReply;
  private Throwable stagedError;
  private String stagedMethod;
  private long stagedEndNanos;

  /** The span that is current on this thread (a memory-manager or task span), or zero. */
  long currentTraceIdHigh;
  long currentTraceIdLow;
  long currentSpanId;

  /** Instrumented method calls in progress on this thread, innermost last. */
  public static final int MAX_FRAMES = 32;
  private final MethodFrame[] frames = new MethodFrame[MAX_FRAMES];
  private int depth;

  ThreadContext() {
  }

  /** Pushes a frame (reused across calls), or returns {@code null} past {@link #MAX_FRAMES}. */
  MethodFrame push() {
    if (depth == MAX_FRAMES) {
      return null;
    }
    MethodFrame frame = frames[depth];
    if (frame == null) {
      frame = new MethodFrame();
      frames[depth] = frame;
    }
    depth++;
    return frame;
  }

  int depth() {
    return depth;
  }

  /** The frame pushed at {@code depth} (1-based, as returned by enter), if still on the stack. */
  MethodFrame frameAt(int frameDepth) {
    return frameDepth >= 1 && frameDepth <= depth ? frames[frameDepth - 1] : null;
  }

  void makeCurrent(MethodFrame frame) {
    currentTraceIdHigh = frame.traceIdHigh;
    currentTraceIdLow = frame.traceIdLow;
    currentSpanId = frame.spanId;
  }

  /** Pops frames down to {@code newDepth}; the frame below becomes current again. */
  void popTo(int newDepth) {
    while (depth > newDepth && depth > 0) {
      frames[--depth].clear();
    }
    if (depth == 0) {
      currentTraceIdHigh = 0;
      currentTraceIdLow = 0;
      currentSpanId = 0;
    } else {
      makeCurrent(frames[depth - 1]);
    }
  }

  void stage(Object reply, Throwable error, String method, long endNanos) {
    stagedReply = reply;
    stagedError = error;
    stagedMethod = method;
    stagedEndNanos = endNanos;
  }

  void unstage() {
    stagedReply = null;
    stagedError = null;
    stagedMethod = null;
  }

  public Object stagedReply() {
    return stagedReply;
  }

  public Throwable stagedError() {
    return stagedError;
  }

  /** The batch method ({@code sync}, {@code exec}, ...) for a batch span. */
  public String stagedMethod() {
    return stagedMethod;
  }

  public long stagedEndNanos() {
    return stagedEndNanos;
  }

  public long currentTraceIdHigh() {
    return currentTraceIdHigh;
  }

  public long currentTraceIdLow() {
    return currentTraceIdLow;
  }

  public long currentSpanId() {
    return currentSpanId;
  }

  /** Queues a sent command; false when the queue is full and it was only counted. */
  boolean enqueue(Object connection, Object socket, Object command, Object args, long start) {
    lastCommand = command;
    lastArguments = args;
    if (size == QUEUE_CAPACITY) {
      overflow++;
      return false;
    }
    int i = (head + size) & MASK;
    connections[i] = connection;
    sockets[i] = socket;
    commands[i] = command;
    arguments[i] = args;
    startNanos[i] = start;
    size++;
    return true;
  }

  /** Drops queued commands of other connections: they were sent by a pipeline never synced. */
  int discardStaleFor(Object connection) {
    int discarded = 0;
    while (size > 0 && connections[head] != connection) {
      dropHead();
      discarded++;
    }
    return discarded;
  }

  /** Moves the entry at {@code index} to the head; only for the rare send that failed. */
  void moveToHead(int index) {
    int from = (head + index) & MASK;
    Object connection = connections[from];
    Object socket = sockets[from];
    Object command = commands[from];
    Object args = arguments[from];
    long start = startNanos[from];
    for (int i = index; i > 0; i--) {
      int to = (head + i) & MASK;
      int prev = (head + i - 1) & MASK;
      connections[to] = connections[prev];
      sockets[to] = sockets[prev];
      commands[to] = commands[prev];
      arguments[to] = arguments[prev];
      startNanos[to] = startNanos[prev];
    }
    connections[head] = connection;
    sockets[head] = socket;
    commands[head] = command;
    arguments[head] = args;
    startNanos[head] = start;
  }

  /** Removes the oldest command after it was published. */
  public void dropHead() {
    connections[head] = null;
    sockets[head] = null;
    commands[head] = null;
    arguments[head] = null;
    head = (head + 1) & MASK;
    size--;
  }

  /** Forgets every queued command once a batch span has taken them. */
  public void clearQueue() {
    while (size > 0) {
      dropHead();
    }
    overflow = 0;
    lastCommand = null;
    lastArguments = null;
    batchErrors = 0;
    batchFirstError = null;
  }

  public int queued() {
    return size;
  }

  public int overflow() {
    return overflow;
  }

  /** Reads of overflowed commands consume them without a span. */
  boolean consumeOverflow() {
    if (overflow > 0) {
      overflow--;
      return true;
    }
    return false;
  }

  public Object socketAt(int index) {
    return sockets[(head + index) & MASK];
  }

  public Object connectionAt(int index) {
    return connections[(head + index) & MASK];
  }

  public Object commandAt(int index) {
    return commands[(head + index) & MASK];
  }

  public Object argumentsAt(int index) {
    return arguments[(head + index) & MASK];
  }

  public long startNanosAt(int index) {
    return startNanos[(head + index) & MASK];
  }

  public Object lastCommand() {
    return lastCommand;
  }

  public Object lastArguments() {
    return lastArguments;
  }

  public long batchStartNanos() {
    return size > 0 ? startNanos[head] : batchStartNanos;
  }

  public int batchErrors() {
    return batchErrors;
  }

  public Throwable batchFirstError() {
    return batchFirstError;
  }
}
