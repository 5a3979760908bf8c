package io.memtrace.collector.health;

import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.Layer;

/**
 * What a report's TTL truth and memory health sections are asked over, the same for either store: the store, the
 * report's layer, that layer's key totals (CTEs ending in {@code keys}; null where the sections need none, as for the
 * health gauges) and the tenant rule.
 */
public record HealthScope(SqlSource source, Layer layer, String keyTotals, TenantRule tenant) {
}
