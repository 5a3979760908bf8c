package io.memtrace.collector.reader;

import io.memtrace.collector.provenance.TenantRule;

/**
 * Which traces to show.
 *
 * @param traceId one trace, by its hex id or a prefix of one; null for the most recent
 * @param last    how many of the most recent traces, when no id is given
 * @param service only traces of this {@code service.name}, when no id is given; null for any
 * @param tenant  whose records a memory call may read, for the cross-tenant marks on each model call's memory
 */
public record TraceRequest(String traceId, int last, String service, TenantRule tenant) {

  /** Traces with no tenant rule: no read is marked as another tenant's. */
  public TraceRequest(String traceId, int last, String service) {
    this(traceId, last, service, TenantRule.NONE);
  }
}
