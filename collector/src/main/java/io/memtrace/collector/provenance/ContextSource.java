package io.memtrace.collector.provenance;

import java.util.List;

/**
 * A memory span a model call links to, with the records read under it.
 *
 * @param source the link's {@code memtrace.context.source}: {@code chat_memory}, {@code retrieval}, or null
 * @param linkedRecords the link's {@code memtrace.context.records}: how many records the framework passed on; or null
 * @param found whether the memory span is in the store (a link to a span not stored yet, or expired, has no records)
 * @param tenant the memory call's tenant (see {@link TenantRule}); null when unknown
 */
public record ContextSource(String traceId, String spanId, String name, String service, String operation,
    String source, Long linkedRecords, boolean found, long startMicros, String tenant, List<ContextRecord> records) {

  public ContextSource {
    records = List.copyOf(records);
  }

  /** Records that belong to another tenant than the call's. */
  public long crossTenantReads() {
    return records.stream().filter(ContextRecord::crossTenant).count();
  }
}
