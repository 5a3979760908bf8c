package io.memtrace.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.memtrace.agent.health.HealthCounters;
import io.memtrace.agent.pipeline.GatedExporter;
import io.memtrace.agent.pipeline.SpanRecords;
import io.memtrace.agent.span.SpanRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key-event carriers in an export are counted apart, with the commands they list, so that whoever counts the spans a
 * collector stored (it stores each listed command as a span, and not the carrier) can check them exactly.
 */
class KeyEventAccountingTest {

  @Test
  void shouldCountTheCarriersAndTheirCommandsExportedAndLost() {
    HealthCounters counters = new HealthCounters();
    ExportDispatcher dispatcher = new ExportDispatcher(List.of(new SpanExporters.Named("sdk",
        GatedExporter.failingEvery(2))), counters, 4);
    SpanRecord[] records = SpanRecords.sample(4);
    records[1].keyEvents = 7;
    records[3].keyEvents = 500;

    dispatcher.export(records, 4);
    dispatcher.export(records, 3); // fails; the second carrier is not in this export

    assertThat(counters.exported.get()).isEqualTo(4);
    assertThat(counters.keyEventSpansExported.get()).isEqualTo(2);
    assertThat(counters.keyEventsExported.get()).isEqualTo(507);
    assertThat(counters.spansInFailedExports.get()).isEqualTo(3);
    assertThat(counters.keyEventsLost.get()).isEqualTo(7);
    assertThat(counters.summary()).contains(" memtrace.events.key_event_spans=2 memtrace.events.key_events=507 "
        + "memtrace.events.key_events_lost=7");
  }

  @Test
  void shouldSayNothingOfKeyEventsWhenNoneWentOut() {
    HealthCounters counters = new HealthCounters();
    ExportDispatcher dispatcher = new ExportDispatcher(List.of(new SpanExporters.Named("sdk", GatedExporter.open())), counters, 4);
    SpanRecord[] records = SpanRecords.sample(2);
    records[0].keyEvents = 9;
    records[0].reset(); // a record reused for an ordinary span lists no command
    records[0].name = "GET";

    dispatcher.export(records, 2);

    assertThat(counters.keyEventSpansExported.get()).isZero();
    assertThat(counters.summary()).doesNotContain("key_event");
  }
}
