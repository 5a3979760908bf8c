package io.memtrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link UnfedSeries}' panels follow from its metrics, and every metric it lists is one a panel or rule reads. */
class UnfedSeriesTest {

  @Test
  void shouldDeriveTheUnfedPanelsFromTheUnfedMetrics() {
    // the memory health panels are fed since serve sends its gauges with --health-to
    assertThat(UnfedSeries.PANELS).containsEntry("Cross-tenant reads in model calls (A)", UnfedSeries.NO_TENANT_RULE)
        .doesNotContainKey("Writes never read, by store (A)").doesNotContainKey("TTLs asked for and lost, by store (A)")
        .doesNotContainKey("Keyspace notifications recorded and lost, by Redis (A)");
  }

  @Test
  void shouldListOnlyMetricsThePanelsOrRulesRead() {
    Set<String> read = new HashSet<>();
    Dashboards.queries().forEach(q -> read.addAll(PromQl.names(Dashboards.asPrometheusSees(q.expr())).metrics()));
    AlertRules.read().forEach(r -> read.addAll(PromQl.names(r.expr()).metrics()));
    assertThat(read).containsAll(UnfedSeries.METRICS.keySet());
  }
}
