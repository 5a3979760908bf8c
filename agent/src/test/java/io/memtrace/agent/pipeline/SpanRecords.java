package io.memtrace.agent.pipeline;

import io.memtrace.agent.span.AttributeSlots;
import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;

/** Sample span records for tests outside this package (their fields are package-private). */
public final class SpanRecords {

  private SpanRecords() {
  }

  /** The value of attribute {@code key} of {@code record} (UTF-8 ones as Strings), or null. */
  public static Object attribute(SpanRecord span, String key) {
    AttributeSlots record = span.slots();
    for (int i = 0; i < record.count(); i++) {
      if (record.key(i).equals(key)) {
        switch (record.type(i)) {
          case AttributeSlots.UTF8:
            return new String(record.utf8Bytes(i), 0, record.utf8Length(i), java.nio.charset.StandardCharsets.UTF_8);
          case AttributeSlots.LONG:
            return record.longValue(i);
          case AttributeSlots.BOOLEAN:
            return record.booleanValue(i);
          case AttributeSlots.DOUBLE:
            return record.doubleValue(i);
          default:
            return record.stringValue(i);
        }
      }
    }
    return null;
  }

  public static SpanRecord[] sample(int n) {
    Resource resource = Resource.create(Attributes.builder().put("service.name", "test").build());
    InstrumentationScopeInfo scope = InstrumentationScopeInfo.create("io.memtrace.jedis");
    SpanRecord[] records = new SpanRecord[n];
    for (int i = 0; i < n; i++) {
      SpanRecord r = new SpanRecord();
      r.traceIdHigh = 1;
      r.traceIdLow = i + 1;
      r.spanId = i + 1;
      r.name = "GET";
      r.kind = SpanKind.CLIENT;
      r.scope = scope;
      r.resource = resource;
      r.startEpochNanos = 1_000;
      r.endEpochNanos = 2_000;
      r.put("memory.key", "user:" + i);
      records[i] = r;
    }
    return records;
  }
}
