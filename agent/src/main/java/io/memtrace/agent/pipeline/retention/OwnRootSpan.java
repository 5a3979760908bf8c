package io.memtrace.agent.pipeline.retention;

import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import java.util.concurrent.ThreadLocalRandom;

/** The header of a span retention makes itself (a summary, a carrier of key events): a root of a trace of its own. */
final class OwnRootSpan {

  private OwnRootSpan() {
  }

  /** Resets {@code record} and writes the header; a missing resource or scope is the default one. */
  static void begin(SpanRecord record, String name, Resource resource, InstrumentationScopeInfo scope, long start,
      long end) {
    record.reset();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    record.traceIdHigh = random.nextLong();
    record.traceIdLow = random.nextLong() | 1;
    record.spanId = random.nextLong() | 1;
    record.parentSpanId = 0;
    record.name = name;
    record.kind = SpanKind.INTERNAL;
    record.resource = resource == null ? Resource.getDefault() : resource;
    record.scope = scope == null ? InstrumentationScopeInfo.create("io.memtrace.retention") : scope;
    record.startEpochNanos = start;
    record.endEpochNanos = end;
  }
}
