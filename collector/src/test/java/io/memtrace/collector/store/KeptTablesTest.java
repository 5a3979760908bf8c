package io.memtrace.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The store finds the tables it keeps through {@code META-INF/services} alone: a set left out of that file would
 * still compile, and its tables would silently stop following the spans.
 */
class KeptTablesTest {

  @Test
  void shouldFindLineageKeyEventsReportKeyTotalsRollupsAndMemoryCallsInstalled() {
    assertThat(KeptTables.installed()).extracting(tables -> tables.getClass().getName())
        .containsExactly("io.memtrace.collector.lineage.KeyEventTables", "io.memtrace.collector.embedded.KeyTotals",
            "io.memtrace.collector.embedded.ReportRollups", "io.memtrace.collector.embedded.CallTotals");
  }
}
