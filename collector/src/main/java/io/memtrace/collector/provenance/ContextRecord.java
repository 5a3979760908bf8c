package io.memtrace.collector.provenance;

/**
 * One record that went into a model call's prompt: a key read under a memory span the call links to (a Redis read,
 * or the memory-manager read itself when no Redis command of it is in the store), or a record id a search returned.
 *
 * @param key the Redis key (or the memory-manager key, or the record id)
 * @param layer {@code redis}, {@code memory}, or {@code returned} (a record id the memory span reported)
 * @param readSpanId the read's span; null for a returned record id
 * @param command the Redis command or memory operation that read it
 * @param writer as the lineage view says it: {@code seen}, {@code not_in_store} or {@code compressed}; null when not a read
 * @param writeService the writer's service; {@code writeTraceId} its trace; {@code writerTask} its task
 * @param ageMillis the value's age when it was read; null when its writer was not seen
 * @param staleBy the service that wrote the key again between the read and the model call (a stale context), else null
 * @param staleTraceId that write's trace
 * @param tenant the record's tenant by the key pattern; null when unknown
 * @param crossTenant whether it belongs to another tenant than the memory call's
 */
public record ContextRecord(String key, String layer, String readSpanId, String command, String writer,
    String writeService, String writeTraceId, String writerTask, Double ageMillis, String staleBy, String staleTraceId,
    String tenant, boolean crossTenant) {

  public boolean stale() {
    return staleBy != null;
  }
}
