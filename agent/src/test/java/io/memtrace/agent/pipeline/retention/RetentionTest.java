package io.memtrace.agent.pipeline.retention;

import static io.memtrace.agent.semconv.AttributeNames.DB_OPERATION_NAME;
import static io.memtrace.agent.semconv.AttributeNames.MEMORY_NAMESPACE;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED_COUNT;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_COMPRESSED_DURATION_MS;
import static io.memtrace.agent.semconv.AttributeNames.MEMTRACE_SUMMARY_INTERVAL_MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.span.SpanRecord;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The retention rules, on span records as the factories write them. */
class RetentionTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long INTERVAL = 1_000 * MS;
  /** A time on the interval grid, so that tests know where intervals end. */
  private static final long T0 = 1_700_000_000_000L * MS;

  private long now = T0;
  /** Slow from 10 ms, one sample per (command, namespace) and interval of 1 s. */
  private final Retention retention = new Retention(true, 10 * MS, 1, INTERVAL, () -> now);
  private final SpanRecord record = new SpanRecord();

  /** Writes a Redis span into the record as the factory would, ending at {@code end}. */
  private SpanRecord redis(String command, String namespace, long parent, long end, long nanos) {
    record.reset();
    record.name = command;
    record.kind = SpanKind.CLIENT;
    record.spanId = end ^ 0x5bd1e995L;
    record.parentSpanId = parent;
    record.startEpochNanos = end - nanos;
    record.endEpochNanos = end;
    record.put(DB_OPERATION_NAME, command);
    if (namespace != null) {
      byte[] bytes = ("xx" + namespace).getBytes(StandardCharsets.UTF_8);
      record.putUtf8(MEMORY_NAMESPACE, java.util.Arrays.copyOfRange(bytes, 2, bytes.length), bytes.length - 2);
    }
    return record;
  }

  private boolean admit(String command, String namespace, long parent, long end, long nanos) {
    return retention.admit(redis(command, namespace, parent, end, nanos));
  }

  private static Map<String, Long> countsByPair(SpanData span) {
    return span.getEvents().stream().filter(e -> e.getName().equals(MEMTRACE_COMPRESSED))
        .collect(Collectors.toMap(e -> e.getAttributes().get(DB_OPERATION_NAME) + "/"
            + e.getAttributes().get(MEMORY_NAMESPACE), e -> e.getAttributes().get(MEMTRACE_COMPRESSED_COUNT)));
  }

  @Test
  void shouldKeepTheFirstSpanOfEachCommandAndNamespaceAndCompressTheRest() {
    assertThat(admit("GET", "user", 0, T0 + MS, MS)).as("first GET user").isTrue();
    assertThat(admit("GET", "user", 0, T0 + 2 * MS, MS)).as("second GET user").isFalse();
    assertThat(admit("GET", "cart", 0, T0 + 3 * MS, MS)).as("first GET cart").isTrue();
    assertThat(admit("SET", "user", 0, T0 + 4 * MS, MS)).as("first SET user").isTrue();
    assertThat(admit("SET", null, 0, T0 + 5 * MS, MS)).as("first SET without namespace").isTrue();
    assertThat(admit("SET", null, 0, T0 + 6 * MS, MS)).isFalse();

    assertThat(retention.takeCompressed()).isEqualTo(2);
    assertThat(retention.takeCompressed()).as("taken once").isZero();
  }

  @Test
  void shouldKeepAFreshSampleInEachInterval() {
    admit("GET", "user", 0, T0 + MS, MS);
    assertThat(admit("GET", "user", 0, T0 + 2 * MS, MS)).isFalse();

    boolean next = admit("GET", "user", 0, T0 + INTERVAL + MS, MS);

    assertThat(next).as("the first of the next interval").isTrue();
    assertThat(record.name).as("the span itself, no summary took its record").isEqualTo("GET");
  }

  @Test
  void shouldAlwaysKeepErrorsAndSlowSpans() {
    admit("GET", "user", 0, T0 + MS, MS);
    for (int i = 0; i < 5; i++) {
      SpanRecord failed = redis("GET", "user", 0, T0 + (10 + i) * MS, MS);
      failed.status(StatusCode.ERROR, "WRONGTYPE");
      assertThat(retention.admit(failed)).as("error %d", i).isTrue();
      assertThat(admit("GET", "user", 7, T0 + (20 + i) * MS, 10 * MS)).as("slow %d", i).isTrue();
    }
    assertThat(admit("GET", "user", 0, T0 + 40 * MS, 10 * MS - 1)).as("just under the threshold").isFalse();
    assertThat(retention.takeCompressed()).isEqualTo(1);
  }

  @Test
  void shouldCountChildrenOfAJoinedOpenTelemetrySpanInTheSummaryAsNoMemtraceSpanWillEndForThem() {
    long otelSpan = 0xb7ad6b7169203331L;
    admit("GET", "user", otelSpan, T0 + MS, MS); // the sample
    SpanRecord compressed = redis("GET", "user", otelSpan, T0 + 2 * MS, MS);
    compressed.otelParent = true;

    assertThat(retention.admit(compressed)).isFalse();
    now = T0 + INTERVAL + MS;

    assertThat(retention.summaryDue()).as("counted in the summary, not held for its parent").isTrue();
  }

  @Test
  void shouldPutCompressedChildrenOnTheirParentWhenItEnds() {
    long parent = 42;
    admit("GET", "user", parent, T0 + MS, MS); // the sample
    for (int i = 0; i < 3; i++) {
      assertThat(admit("GET", "user", parent, T0 + (2 + i) * MS, 2 * MS)).isFalse();
    }
    admit("HSET", "cart", parent, T0 + 6 * MS, MS);
    assertThat(admit("HSET", "cart", parent, T0 + 7 * MS, MS)).isFalse();

    SpanRecord memory = new SpanRecord();
    memory.name = "memory.store";
    memory.kind = SpanKind.INTERNAL;
    memory.spanId = parent;
    memory.endEpochNanos = T0 + 8 * MS;
    retention.ended(memory);

    SpanData span = memory.toSpanData();
    assertThat(span.getAttributes().get(MEMTRACE_COMPRESSED_COUNT)).isEqualTo(4);
    assertThat(span.getAttributes().get(MEMTRACE_COMPRESSED_DURATION_MS)).isEqualTo(7.0);
    assertThat(countsByPair(span)).containsOnly(Map.entry("GET/user", 3L), Map.entry("HSET/cart", 1L));
    EventData get = span.getEvents().stream()
        .filter(e -> "GET".equals(e.getAttributes().get(DB_OPERATION_NAME))).findFirst().orElseThrow();
    assertThat(get.getAttributes().get(MEMTRACE_COMPRESSED_DURATION_MS)).isEqualTo(6.0);

    SpanRecord again = new SpanRecord();
    again.spanId = parent;
    retention.ended(again);
    assertThat(again.slots().count()).as("counts are written once").isZero();
    assertThat(retention.summaryDue()).as("nothing went to the summary").isFalse();
  }

  @Test
  void shouldSummariseRootsOnOneSpanPerIntervalInTheRecordOfACompressedSpan() {
    admit("GET", "user", 0, T0 + MS, MS);
    for (int i = 0; i < 5; i++) {
      admit("GET", "user", 0, T0 + (2 + i) * MS, MS);
    }
    admit("GET", "user", 0, T0 + INTERVAL + MS, MS); // the next interval's sample
    now = T0 + INTERVAL + 2 * MS;

    boolean holdsSpan = admit("GET", "user", 0, T0 + INTERVAL + 2 * MS, MS);

    assertThat(holdsSpan).as("the compressed span's record now holds the summary").isTrue();
    SpanData summary = record.toSpanData();
    assertThat(summary.getName()).isEqualTo(MEMTRACE_COMPRESSED);
    assertThat(summary.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(summary.getParentSpanContext().isValid()).isFalse();
    assertThat(summary.getStartEpochNanos()).isEqualTo(T0);
    assertThat(summary.getEndEpochNanos()).isEqualTo(T0 + INTERVAL);
    Attributes attributes = summary.getAttributes();
    assertThat(attributes.get(MEMTRACE_SUMMARY_INTERVAL_MS)).isEqualTo(1_000);
    assertThat(attributes.get(MEMTRACE_COMPRESSED_COUNT)).as("the first interval's five").isEqualTo(5);
    assertThat(countsByPair(summary)).containsOnly(Map.entry("GET/user", 5L));
    assertThat(retention.takeCompressed()).isEqualTo(6);

    retention.close();
    assertThat(retention.summaryDue()).as("the second interval's one, at shutdown").isTrue();
    retention.writeSummary(record);
    assertThat(record.toSpanData().getAttributes().get(MEMTRACE_COMPRESSED_COUNT)).isEqualTo(1);
  }

  @Test
  void shouldWriteTheSummaryWhenIdleOnceTheIntervalHasEnded() {
    admit("GET", "user", 0, T0 + MS, MS);
    admit("GET", "user", 0, T0 + 2 * MS, MS);
    now = T0 + INTERVAL - 1;
    assertThat(retention.summaryDue()).as("the interval has not ended").isFalse();

    now = T0 + 3 * INTERVAL + 5;

    assertThat(retention.summaryDue()).isTrue();
    retention.writeSummary(record);
    assertThat(record.endEpochNanos).isEqualTo(T0 + INTERVAL);
    assertThat(retention.summaryDue()).as("written once").isFalse();
  }

  @Test
  void shouldSummariseTheChildrenOfParentsThatNeverEndedAtShutdown() {
    admit("GET", "user", 9, T0 + MS, MS);
    admit("GET", "user", 9, T0 + 2 * MS, MS);
    admit("GET", "user", 0, T0 + 3 * MS, MS);
    retention.endedWithoutSpan(12345); // a span the summary knows nothing of

    retention.close();

    assertThat(retention.summaryDue()).isTrue();
    retention.writeSummary(record);
    assertThat(record.toSpanData().getAttributes().get(MEMTRACE_COMPRESSED_COUNT)).isEqualTo(2);
  }

  @Test
  void shouldMoveTheOldestParentsCountsToTheSummaryPastTheBound() {
    admit("GET", "user", 1, T0 + MS, MS); // the sample
    for (long parent = 1; parent <= ParentCounts.MAX_OPEN + 3; parent++) {
      assertThat(admit("GET", "user", parent, T0 + 2 * MS, MS)).isFalse();
    }
    retention.close();
    retention.writeSummary(record);

    assertThat(record.toSpanData().getAttributes().get(MEMTRACE_COMPRESSED_COUNT))
        .as("every compressed span counted once, on the summary at shutdown").isEqualTo(ParentCounts.MAX_OPEN + 3);
    assertThat(retention.takeCompressed()).isEqualTo(ParentCounts.MAX_OPEN + 3);
  }

  @Test
  void shouldKeepEverySpanWhenOff() {
    Retention off = Retention.off();
    for (int i = 0; i < 10; i++) {
      assertThat(off.admit(redis("GET", "user", 0, T0 + i, 1))).isTrue();
    }
    assertThat(off.takeCompressed()).isZero();
    assertThat(off.summaryDue()).isFalse();
  }
}
