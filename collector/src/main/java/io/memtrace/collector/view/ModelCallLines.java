package io.memtrace.collector.view;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.Log;
import io.memtrace.collector.provenance.ContextLine;
import io.memtrace.collector.provenance.ModelCall;
import io.memtrace.collector.provenance.Provenance;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.SqlSource;
import java.util.List;
import java.util.Map;

/** Puts under each model call of the loaded traces the memory that went into its prompt ({@link ContextLine}). */
public final class ModelCallLines {

  private ModelCallLines() {
  }

  public static void attach(SqlSource source, Map<String, List<TraceSpan>> traces, TenantRule rule) {
    attach(traces, (trace, from, to) -> Provenance.ofTrace(source, trace, from, to, rule));
  }

  /** The model calls of one trace that started in {@code [from, to]} (epoch microseconds), as a store answers them. */
  @FunctionalInterface
  public interface Calls {

    List<ModelCall> of(String traceId, long fromMicros, long toMicros);
  }

  /** Puts the lines under the model calls {@code calls} gives for each trace. */
  public static void attach(Map<String, List<TraceSpan>> traces, Calls ask) {
    for (List<TraceSpan> spans : traces.values()) {
      if (spans.isEmpty()) {
        continue;
      }
      long start = spans.stream().mapToLong(s -> s.startMicros).min().orElseThrow();
      long last = spans.stream().mapToLong(s -> s.startMicros).max().orElseThrow();
      List<ModelCall> calls;
      try {
        calls = ask.of(spans.get(0).traceId, start, last);
      } catch (CollectorException e) {
        Log.warn("no model-call memory for trace " + spans.get(0).traceId + ": " + e.getMessage());
        continue;
      }
      for (ModelCall call : calls) {
        for (TraceSpan span : spans) {
          if (span.spanId.equals(call.spanId())) {
            span.context = ContextLine.of(call);
            span.contextFlagged = call.staleRecords() > 0 || call.crossTenantReads() > 0;
          }
        }
      }
    }
  }
}
