package io.memtrace.agent.span;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A finished span built on the consumer thread, in the shape the SDK's exporters take. */
final class MemtraceSpanData implements SpanData {

  private final String name;
  private final SpanKind kind;
  private final SpanContext context;
  private final SpanContext parent;
  private final StatusData status;
  private final long startEpochNanos;
  private final long endEpochNanos;
  private final Attributes attributes;
  private final List<EventData> events;
  private final List<LinkData> links;
  private final InstrumentationScopeInfo scope;
  private final Resource resource;

  MemtraceSpanData(String name, SpanKind kind, SpanContext context, SpanContext parent,
      StatusData status, long startEpochNanos, long endEpochNanos, Attributes attributes,
      List<EventData> events, List<LinkData> links, InstrumentationScopeInfo scope, Resource resource) {
    this.name = name;
    this.kind = kind;
    this.context = context;
    this.parent = parent;
    this.status = status;
    this.startEpochNanos = startEpochNanos;
    this.endEpochNanos = endEpochNanos;
    this.attributes = attributes;
    this.events = events;
    this.links = links;
    this.scope = scope;
    this.resource = resource;
  }

  /** A self-contained copy of {@code r}: events and links copied, attributes in the SDK's shape. */
  static MemtraceSpanData copyOf(SpanRecord r) {
    SpanContext context = SpanContext.create(TraceId.fromLongs(r.traceIdHigh(), r.traceIdLow()),
        SpanId.fromLong(r.spanId()), TraceFlags.getSampled(), TraceState.getDefault());
    SpanContext parent = r.parentSpanId() == 0 ? SpanContext.getInvalid()
        : SpanContext.create(context.getTraceId(), SpanId.fromLong(r.parentSpanId()),
            TraceFlags.getSampled(), TraceState.getDefault());
    StatusCode code = r.statusCode();
    String message = r.statusMessage();
    StatusData status = code == StatusCode.UNSET ? StatusData.unset()
        : code == StatusCode.OK && message == null ? StatusData.ok()
        : StatusData.create(code, message == null ? "" : message);
    List<EventData> events = r.events().isEmpty() ? Collections.emptyList() : new ArrayList<>(r.events());
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) instanceof LinesEvent) {
        events.set(i, ((LinesEvent) events.get(i)).copy()); // the record reuses its own
      }
    }
    List<LinkData> links = r.links().isEmpty() ? Collections.emptyList() : new ArrayList<>(r.links());
    return new MemtraceSpanData(r.name(), r.kind(), context, parent, status, r.startEpochNanos(),
        r.endEpochNanos(), r.attributes(), events, links, r.scope(), r.resource());
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public SpanKind getKind() {
    return kind;
  }

  @Override
  public SpanContext getSpanContext() {
    return context;
  }

  @Override
  public SpanContext getParentSpanContext() {
    return parent;
  }

  @Override
  public StatusData getStatus() {
    return status;
  }

  @Override
  public long getStartEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public List<EventData> getEvents() {
    return events;
  }

  @Override
  public List<LinkData> getLinks() {
    return links;
  }

  @Override
  public long getEndEpochNanos() {
    return endEpochNanos;
  }

  @Override
  public boolean hasEnded() {
    return true;
  }

  @Override
  public int getTotalRecordedEvents() {
    return events.size();
  }

  @Override
  public int getTotalRecordedLinks() {
    return links.size();
  }

  @Override
  public int getTotalAttributeCount() {
    return attributes.size();
  }

  @Override
  @SuppressWarnings("deprecation")
  public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return InstrumentationLibraryInfo.create(scope.getName(), scope.getVersion());
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope;
  }

  @Override
  public Resource getResource() {
    return resource;
  }
}
