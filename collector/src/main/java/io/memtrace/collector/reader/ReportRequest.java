package io.memtrace.collector.reader;

import io.memtrace.collector.health.RecordPattern;
import io.memtrace.collector.provenance.TenantRule;
import java.time.Instant;

/**
 * What a report covers.
 *
 * @param since   only spans that started at or after this instant; null for all
 * @param windows equal time windows the spans are cut into to find namespaces that grow fast (at least 2 are used)
 * @param layer   the spans analysed; null for memory-manager operations if there are any, else Redis commands
 * @param tenant  whose records a memory call may read, for the model-call sections' cross-tenant flags, and the
 *                tenants memory health is given per
 * @param records which Redis keys are one record, for the TTL truth's drifting TTLs
 */
public record ReportRequest(Instant since, int windows, Layer layer, TenantRule tenant, RecordPattern records) {

  /** A report with the default record pattern ({@link RecordPattern#DEFAULT}). */
  public ReportRequest(Instant since, int windows, Layer layer, TenantRule tenant) {
    this(since, windows, layer, tenant, RecordPattern.defaults());
  }

  /** A report with no tenant rule: no read is flagged as another tenant's. */
  public ReportRequest(Instant since, int windows, Layer layer) {
    this(since, windows, layer, TenantRule.NONE);
  }
}
