package io.memtrace.agent.instrumentation.method;

import io.memtrace.agent.bootstrap.EventSink;
import io.memtrace.agent.bootstrap.MethodFrame;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link EventSink} that copies each method start and end it is handed, as the ring would. */
final class MethodRecorder extends EventSink.Ignoring {

  /** A frame as it was when published (frames are reused, so nothing may hold on to them). */
  static final class Published {
    final int rule;
    final long traceIdLow;
    final long spanId;
    final long parentSpanId;
    final long startNanos;
    final long endNanos;
    final Object self;
    final Object arg0;
    final Object returned;
    final Throwable thrown;
    final String thread = Thread.currentThread().getName();

    Published(MethodFrame frame) {
      rule = frame.rule();
      traceIdLow = frame.traceIdLow();
      spanId = frame.spanId();
      parentSpanId = frame.parentSpanId();
      startNanos = frame.startNanos();
      endNanos = frame.endNanos();
      self = frame.self();
      arg0 = frame.arg(0);
      returned = frame.returned();
      thrown = frame.thrown();
    }
  }

  final List<Published> starts = new CopyOnWriteArrayList<>();
  final List<Published> ends = new CopyOnWriteArrayList<>();
  /** When set, every publish throws after recording, as a broken sink would. */
  volatile boolean failing;

  @Override
  public void publishMethodStart(MethodFrame frame) {
    starts.add(new Published(frame));
    failIfAsked();
  }

  @Override
  public void publishMethodEnd(MethodFrame frame) {
    ends.add(new Published(frame));
    failIfAsked();
  }

  private void failIfAsked() {
    if (failing) {
      throw new IllegalStateException("memtrace test: the sink failed");
    }
  }
}
