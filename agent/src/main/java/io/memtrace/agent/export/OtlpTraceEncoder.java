package io.memtrace.agent.export;

import io.memtrace.agent.span.LinesEvent;
import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a batch of {@link SpanRecord}s as one OTLP {@code ExportTraceServiceRequest} in protobuf,
 * straight from the records into a reused {@link ProtoWriter}: no {@code SpanData}, no marshaler
 * objects, no second pass to compute sizes. Field numbers are those of
 * {@code opentelemetry/proto/trace/v1/trace.proto} and, through {@link OtlpAttributes},
 * {@code common/v1/common.proto} (span attributes by {@link RecordAttributeWriter}); the resource and
 * scope messages are encoded once and copied. One encoder per exporter, used by the consumer thread
 * only.
 */
public final class OtlpTraceEncoder {

  // ExportTraceServiceRequest
  private static final int REQUEST_RESOURCE_SPANS = 1;
  // ResourceSpans
  private static final int RESOURCE = 1;
  private static final int SCOPE_SPANS = 2;
  private static final int RESOURCE_SCHEMA_URL = 3;
  // ScopeSpans
  private static final int SCOPE = 1;
  private static final int SPANS = 2;
  private static final int SCOPE_SCHEMA_URL = 3;
  // Span
  private static final int TRACE_ID = 1;
  private static final int SPAN_ID = 2;
  private static final int PARENT_SPAN_ID = 4;
  private static final int NAME = 5;
  private static final int KIND = 6;
  private static final int START_TIME = 7;
  private static final int END_TIME = 8;
  private static final int ATTRIBUTES = 9;
  private static final int EVENTS = 11;
  private static final int LINKS = 13;
  private static final int STATUS = 15;
  private static final int FLAGS = 16;
  // Span.Event
  private static final int EVENT_TIME = 1;
  private static final int EVENT_NAME = 2;
  private static final int EVENT_ATTRIBUTES = 3;
  // Span.Link
  private static final int LINK_TRACE_ID = 1;
  private static final int LINK_SPAN_ID = 2;
  private static final int LINK_ATTRIBUTES = 4;
  private static final int LINK_FLAGS = 6;
  // Status
  private static final int STATUS_MESSAGE = 2;
  private static final int STATUS_CODE = 3;
  /** Sampled, and "whether the parent is remote" is known (it never is: memtrace spans are local). */
  private static final int SPAN_FLAGS = 0x01 | 0x100;

  private final RecordAttributeWriter attributes = new RecordAttributeWriter();
  private final Map<Resource, byte[]> resources = new IdentityHashMap<>();
  private final Map<InstrumentationScopeInfo, byte[]> scopes = new IdentityHashMap<>();
  private final List<Resource> batchResources = new ArrayList<>(2);
  private final List<InstrumentationScopeInfo> batchScopes = new ArrayList<>(4);

  /** Encodes {@code records[0..count)} into {@code out} (reset first), grouped by resource and scope. */
  public void encode(SpanRecord[] records, int count, ProtoWriter out) {
    out.reset();
    batchResources.clear();
    for (int i = 0; i < count; i++) {
      if (!batchResources.contains(records[i].resource())) {
        batchResources.add(records[i].resource());
      }
    }
    for (Resource resource : batchResources) {
      int resourceSpans = out.begin(REQUEST_RESOURCE_SPANS);
      byte[] encodedResource = resources.computeIfAbsent(resource, OtlpTraceEncoder::encodeResource);
      out.raw(encodedResource, 0, encodedResource.length);
      batchScopes.clear();
      for (int i = 0; i < count; i++) {
        SpanRecord r = records[i];
        if (r.resource() == resource && !batchScopes.contains(r.scope())) {
          batchScopes.add(r.scope());
        }
      }
      for (InstrumentationScopeInfo scope : batchScopes) {
        int scopeSpans = out.begin(SCOPE_SPANS);
        byte[] encodedScope = scopes.computeIfAbsent(scope, OtlpTraceEncoder::encodeScope);
        out.raw(encodedScope, 0, encodedScope.length);
        for (int i = 0; i < count; i++) {
          SpanRecord r = records[i];
          if (r.resource() == resource && r.scope() == scope) {
            span(r, out);
          }
        }
        out.end(scopeSpans);
      }
      if (resource.getSchemaUrl() != null) {
        out.stringField(RESOURCE_SCHEMA_URL, resource.getSchemaUrl());
      }
      out.end(resourceSpans);
    }
  }

  private void span(SpanRecord r, ProtoWriter out) {
    int span = out.begin(SPANS);
    out.idField(TRACE_ID, r.traceIdHigh(), r.traceIdLow(), true);
    out.idField(SPAN_ID, 0, r.spanId(), false);
    if (r.parentSpanId() != 0) {
      out.idField(PARENT_SPAN_ID, 0, r.parentSpanId(), false);
    }
    out.stringField(NAME, r.name());
    out.tag(KIND, ProtoWriter.VARINT);
    out.varint(kind(r.kind()));
    out.tag(START_TIME, ProtoWriter.FIXED64);
    out.fixed64(r.startEpochNanos());
    out.tag(END_TIME, ProtoWriter.FIXED64);
    out.fixed64(r.endEpochNanos());
    attributes.write(ATTRIBUTES, r, out);
    List<EventData> events = r.events();
    for (int i = 0; i < events.size(); i++) {
      EventData event = events.get(i);
      int e = out.begin(EVENTS);
      out.tag(EVENT_TIME, ProtoWriter.FIXED64);
      out.fixed64(event.getEpochNanos());
      out.stringField(EVENT_NAME, event.getName());
      if (event instanceof LinesEvent) {
        LinesEvent lines = (LinesEvent) event; // a carrier's key events: the lines' bytes as they are
        OtlpAttributes.write(EVENT_ATTRIBUTES, lines.place(), lines.textKey().getKey(), lines.utf8(),
            lines.utf8Length(), out);
      } else {
        OtlpAttributes.write(EVENT_ATTRIBUTES, event.getAttributes(), out);
      }
      out.end(e);
    }
    List<LinkData> links = r.links();
    for (int i = 0; i < links.size(); i++) {
      LinkData link = links.get(i);
      int l = out.begin(LINKS);
      byte[] traceId = link.getSpanContext().getTraceIdBytes();
      byte[] spanId = link.getSpanContext().getSpanIdBytes();
      out.tag(LINK_TRACE_ID, ProtoWriter.LEN);
      out.varint(traceId.length);
      out.raw(traceId, 0, traceId.length);
      out.tag(LINK_SPAN_ID, ProtoWriter.LEN);
      out.varint(spanId.length);
      out.raw(spanId, 0, spanId.length);
      OtlpAttributes.write(LINK_ATTRIBUTES, link.getAttributes(), out);
      out.tag(LINK_FLAGS, ProtoWriter.FIXED32);
      out.fixed32(SPAN_FLAGS);
      out.end(l);
    }
    int status = out.begin(STATUS); // always present, empty when unset, as the SDK writes it
    if (r.statusMessage() != null && !r.statusMessage().isEmpty()) {
      out.stringField(STATUS_MESSAGE, r.statusMessage());
    }
    if (r.statusCode() != StatusCode.UNSET) {
      out.tag(STATUS_CODE, ProtoWriter.VARINT);
      out.varint(r.statusCode() == StatusCode.OK ? 1 : 2);
    }
    out.end(status);
    out.tag(FLAGS, ProtoWriter.FIXED32);
    out.fixed32(SPAN_FLAGS);
    out.end(span);
  }

  /** The numbers of {@code opentelemetry.proto.trace.v1.Span.SpanKind}. */
  private static int kind(SpanKind kind) {
    switch (kind) {
      case INTERNAL:
        return 1;
      case SERVER:
        return 2;
      case CLIENT:
        return 3;
      case PRODUCER:
        return 4;
      case CONSUMER:
        return 5;
      default:
        return 0;
    }
  }

  /** The {@code resource} field of ResourceSpans, tag included. */
  private static byte[] encodeResource(Resource resource) {
    ProtoWriter out = new ProtoWriter(256);
    int r = out.begin(RESOURCE);
    OtlpAttributes.write(1, resource.getAttributes(), out);
    out.end(r);
    return java.util.Arrays.copyOf(out.array(), out.size());
  }

  /** The {@code scope} field of ScopeSpans, tag included, and its schema URL. */
  private static byte[] encodeScope(InstrumentationScopeInfo scope) {
    ProtoWriter out = new ProtoWriter(128);
    int s = out.begin(SCOPE);
    out.stringField(1, scope.getName());
    if (scope.getVersion() != null) {
      out.stringField(2, scope.getVersion());
    }
    OtlpAttributes.write(3, scope.getAttributes(), out);
    out.end(s);
    if (scope.getSchemaUrl() != null) {
      out.stringField(SCOPE_SCHEMA_URL, scope.getSchemaUrl());
    }
    return java.util.Arrays.copyOf(out.array(), out.size());
  }
}
