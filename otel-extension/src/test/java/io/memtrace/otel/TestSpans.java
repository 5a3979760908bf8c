package io.memtrace.otel;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.Collections;
import java.util.List;

/** Spans with just a name and a context, for exporters that look at nothing else. */
final class TestSpans {

  private TestSpans() {
  }

  static SpanData span(String name, String traceId, String spanId, boolean sampled) {
    SpanContext context = SpanContext.create(traceId, spanId,
        sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
    return new SpanData() {
      @Override public String getName() { return name; }
      @Override public SpanKind getKind() { return SpanKind.INTERNAL; }
      @Override public SpanContext getSpanContext() { return context; }
      @Override public SpanContext getParentSpanContext() { return SpanContext.getInvalid(); }
      @Override public StatusData getStatus() { return StatusData.unset(); }
      @Override public long getStartEpochNanos() { return 1; }
      @Override public Attributes getAttributes() { return Attributes.empty(); }
      @Override public List<EventData> getEvents() { return Collections.emptyList(); }
      @Override public List<LinkData> getLinks() { return Collections.emptyList(); }
      @Override public long getEndEpochNanos() { return 2; }
      @Override public boolean hasEnded() { return true; }
      @Override public int getTotalRecordedEvents() { return 0; }
      @Override public int getTotalRecordedLinks() { return 0; }
      @Override public int getTotalAttributeCount() { return 0; }
      @SuppressWarnings("deprecation")
      @Override public InstrumentationLibraryInfo getInstrumentationLibraryInfo() { return InstrumentationLibraryInfo.empty(); }
      @Override public Resource getResource() { return Resource.empty(); }
      @Override public String toString() { return name; }
    };
  }
}
