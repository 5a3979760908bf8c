package io.memtrace.otel;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenTelemetry agent's sampling applied to memtrace's traces, on the consumer thread (the
 * application's thread only records), once per trace. A trace memtrace joined follows the
 * OpenTelemetry span it joined ({@link JoinedTraces}); a trace memtrace started goes to the
 * sampler as a root: spans end child first, so the span that asks is the first of its trace to
 * end, and the standard samplers decide on the trace id alone, so the answer is the one the
 * sampler would have given the root.
 */
final class TraceSampling {

  /** Traces whose decision is remembered; a trace's spans end within moments of each other. */
  static final int REMEMBERED = 4096;

  private final Sampler sampler;
  private final Map<String, Boolean> decisions = new LinkedHashMap<String, Boolean>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  };

  private final JoinedTraces joined;

  TraceSampling(Sampler sampler, JoinedTraces joined) {
    this.sampler = sampler;
    this.joined = joined;
  }

  /** The spans of {@code spans} whose traces are sampled, in order. */
  synchronized List<SpanData> sampled(Collection<SpanData> spans) {
    List<SpanData> kept = new ArrayList<>(spans.size());
    for (SpanData span : spans) {
      if (isSampled(span)) {
        kept.add(span);
      }
    }
    return kept;
  }

  private boolean isSampled(SpanData span) {
    if (!span.getSpanContext().isSampled()) {
      return false;
    }
    String traceId = span.getTraceId();
    Boolean decision = decisions.get(traceId);
    if (decision == null) {
      decision = decide(span, traceId);
      decisions.put(traceId, decision);
    }
    return decision;
  }

  private boolean decide(SpanData span, String traceId) {
    switch (joined.of(Long.parseUnsignedLong(traceId.substring(16), 16))) {
      case SAMPLED:
        return true;
      case NOT_SAMPLED:
        return false;
      default:
        return sampler.shouldSample(Context.root(), traceId, span.getName(),
            span.getKind() == null ? SpanKind.INTERNAL : span.getKind(), span.getAttributes(),
            Collections.emptyList()).getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
    }
  }
}
