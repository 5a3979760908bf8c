package io.memtrace.agent.bootstrap;

/**
 * What memtrace keeps per application thread: the span current on it, the instrumented calls in
 * progress, and the Redis work the thread itself owns (the reply it is staging for the ring, the
 * pipeline or transaction it is syncing). Commands waiting for replies are kept per connection,
 * not here (see {@link PendingCommands}).
 *
 * <p>Allocated once per thread; the hot path only reads and writes its fields.
 */
public final class ThreadContext {

  private static final ThreadLocal<ThreadContext> CURRENT = ThreadLocal.withInitial(ThreadContext::new);

  public static ThreadContext current() {
    return CURRENT.get();
  }

  /** The command whose reply this thread just read, while the sink copies it. */
  final RedisCall redisCall = new RedisCall();
  /** The pipeline or transaction this thread is syncing, if {@code redisBatch.depth > 0}. */
  final RedisBatch redisBatch = new RedisBatch();
  /**
   * The pending commands of the connection this thread used last: consecutive commands mostly use
   * the same connection, and this spares them the registry lookup.
   */
  PendingCommands lastConnection;
  /** How deep this thread is in a Jedis pub/sub loop (its replies may be pushed messages). */
  int pubSubDepth;
  /** How deep this thread is in Jedis 3's {@code multi()}, whose reply opens a transaction. */
  int openingTransaction;
  /**
   * The Lettuce command whose completion this thread is inside, or null: its wrappers complete
   * each other in a chain, and only the outermost call reports it (see {@link LettuceHooks}).
   */
  Object completing;
  /**
   * How deep this thread is in Lettuce 5's connection set-up (its AUTH, SELECT, CLIENT SETNAME go
   * through the same dispatch as the application's commands; see {@link LettuceHooks#settingUp}).
   */
  int lettuceSetUp;
  /**
   * The Netty channel whose replies this thread is reading in Lettuce's {@code CommandHandler}, or null: the
   * connection that answered the commands completed meanwhile (see {@link LettuceHooks#reading}).
   */
  Object lettuceChannel;
  /** How deep this thread is in Redisson's {@code RedisConnection.async}: a connection's own work. */
  int redissonSetUp;
  /**
   * The Redisson command whose reply this thread (an event loop) is decoding, and that reply as
   * measured on the wire, until the command completes (see {@link RedissonHooks}).
   */
  Object measuredCommand;
  Object measuredReply;
  /**
   * The Redisson executor whose {@code execute()} runs on this thread, and the last one that sent
   * its command right there (see {@link RedissonParents}).
   */
  Object redissonExecuting;
  Object redissonSentBy;
  /** The Redisson executor whose {@code sendCommand} runs on this thread, or null (see RetriedParents). */
  Object redissonSending;

  /** The span that is current on this thread (a memory-manager or task span), or zero. */
  long currentTraceIdHigh;
  long currentTraceIdLow;
  long currentSpanId;

  /** The OpenTelemetry span a root span started on this thread joins (see {@link OtelSpanReader}). */
  final JoinedParent joinedParent = new JoinedParent();

  /** A streaming handler's partial response in progress on this thread, and its context (see PendingStreams). */
  Object checkingHandler;
  Object checkingContext;

  /** The hand-off call in progress on this thread (rule 0 when none); it is never a span. */
  final MethodFrame handOff = new MethodFrame();

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

  public long currentTraceIdHigh() {
    return currentTraceIdHigh;
  }

  public long currentTraceIdLow() {
    return currentTraceIdLow;
  }

  public long currentSpanId() {
    return currentSpanId;
  }

  /**
   * For a span starting with no memtrace parent: whether an OpenTelemetry span is current on this
   * thread, in which case {@link #joinedParent()} holds it. One static null check when no
   * {@link OtelSpanReader} is installed.
   */
  public boolean joinOtelSpan() {
    return OtelSpanReader.read(joinedParent);
  }

  public JoinedParent joinedParent() {
    return joinedParent;
  }

  public RedisCall redisCall() {
    return redisCall;
  }

  public RedisBatch redisBatch() {
    return redisBatch;
  }
}
