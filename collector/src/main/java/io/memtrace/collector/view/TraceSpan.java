package io.memtrace.collector.view;

import java.util.ArrayList;
import java.util.List;

/** The fields of a span the timeline shows. */
public final class TraceSpan {

  final String traceId;
  final String spanId;
  final String parentSpanId;
  final String name;
  final String service;
  final long startMicros;
  final double durationMillis;
  final boolean error;
  final String statusMessage;
  final String key;
  final String agent;
  final String namespace;
  final Long size;
  final Boolean found;
  final Long results;
  final String operation;
  final String errorType;
  final List<TraceSpan> children = new ArrayList<>();

  TraceSpan(String traceId, String spanId, String parentSpanId, String name, String service, long startMicros,
      double durationMillis, boolean error, String statusMessage, String key, String agent, String namespace,
      Long size, Boolean found, Long results, String operation, String errorType) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId;
    this.name = name;
    this.service = service;
    this.startMicros = startMicros;
    this.durationMillis = durationMillis;
    this.error = error;
    this.statusMessage = statusMessage;
    this.key = key;
    this.agent = agent;
    this.namespace = namespace;
    this.size = size;
    this.found = found;
    this.results = results;
    this.operation = operation;
    this.errorType = errorType;
  }

  /** A span that touched memory: a memory-manager call or a Redis command on a key. */
  boolean isMemoryOperation() {
    return operation != null && (key != null || namespace != null);
  }
}
