package io.memtrace.agent.bootstrap;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One instrumented memory-manager or task call in progress: its ids, start time and the references
 * the configured expressions will read. Frames are pre-allocated per thread and reused; a call whose
 * result is a {@code CompletionStage} gets a copy, since it completes on another thread.
 */
public final class MethodFrame {

  /** Arguments captured per call; expressions may name arg0 to arg5. */
  public static final int MAX_ARGS = 6;

  int rule;
  long traceIdHigh;
  long traceIdLow;
  long spanId;
  long parentSpanId;
  /** The parent is an OpenTelemetry span (see {@link OtelSpanReader}), not a memtrace frame. */
  boolean otelParent;
  /** Called inside another memory operation (see MethodHooks): its results are not a prompt's provenance. */
  boolean nested;
  /** The hand-off call this one runs inside on its thread (its {@link #spanId}), or 0. */
  long handOffId;
  long startNanos;
  Object self;
  final Object[] args = new Object[MAX_ARGS];
  /** The outcome, set just before the end is published. */
  Object returned;
  Throwable thrown;
  long endNanos;

  MethodFrame() {
  }

  void set(int rule, Object self, Object a0, Object a1, Object a2, Object a3, Object a4, Object a5) {
    this.rule = rule;
    this.self = self;
    args[0] = a0;
    args[1] = a1;
    args[2] = a2;
    args[3] = a3;
    args[4] = a4;
    args[5] = a5;
  }

  /**
   * Gives this frame a new span id and makes it a child of the thread's current span: memtrace's own, else the
   * OpenTelemetry span it joins, else none (a new trace).
   */
  void childOfCurrent(ThreadContext context) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (context.currentSpanId != 0) {
      traceIdHigh = context.currentTraceIdHigh;
      traceIdLow = context.currentTraceIdLow;
      parentSpanId = context.currentSpanId;
      otelParent = false;
    } else if (context.joinOtelSpan()) {
      JoinedParent parent = context.joinedParent;
      traceIdHigh = parent.traceIdHigh;
      traceIdLow = parent.traceIdLow;
      parentSpanId = parent.spanId;
      otelParent = true;
    } else {
      traceIdHigh = random.nextLong();
      traceIdLow = random.nextLong() | 1;
      parentSpanId = 0;
      otelParent = false;
    }
    spanId = random.nextLong() | 1;
  }

  MethodFrame copy() {
    MethodFrame copy = new MethodFrame();
    copy.rule = rule;
    copy.traceIdHigh = traceIdHigh;
    copy.traceIdLow = traceIdLow;
    copy.spanId = spanId;
    copy.parentSpanId = parentSpanId;
    copy.otelParent = otelParent;
    copy.nested = nested;
    copy.handOffId = handOffId;
    copy.startNanos = startNanos;
    copy.self = self;
    System.arraycopy(args, 0, copy.args, 0, MAX_ARGS);
    return copy;
  }

  void end(Object returned, Throwable thrown, long endNanos) {
    this.returned = returned;
    this.thrown = thrown;
    this.endNanos = endNanos;
  }

  void clear() {
    self = null;
    returned = null;
    thrown = null;
    for (int i = 0; i < MAX_ARGS; i++) {
      args[i] = null;
    }
  }

  public int rule() {
    return rule;
  }

  public long traceIdHigh() {
    return traceIdHigh;
  }

  public long traceIdLow() {
    return traceIdLow;
  }

  public long spanId() {
    return spanId;
  }

  public long parentSpanId() {
    return parentSpanId;
  }

  public boolean otelParent() {
    return otelParent;
  }

  public boolean nested() {
    return nested;
  }

  public long handOffId() {
    return handOffId;
  }

  public long startNanos() {
    return startNanos;
  }

  public Object self() {
    return self;
  }

  public Object arg(int index) {
    return args[index];
  }

  public Object returned() {
    return returned;
  }

  public Throwable thrown() {
    return thrown;
  }

  public long endNanos() {
    return endNanos;
  }
}
