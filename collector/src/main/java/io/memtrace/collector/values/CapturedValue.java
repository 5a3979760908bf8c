package io.memtrace.collector.values;

import java.time.Instant;

/**
 * One captured write of a value, as the collector keeps it apart from the spans (table {@code key_value}; on
 * ClickHouse {@code memtrace_key_values}): what a {@code memory.value} span event carried, with the span it came on.
 *
 * @param traceId   the trace of the span that wrote it
 * @param spanId    that span
 * @param seq       the event's place among that span's {@code memory.value} events (a pipeline or MSET has several)
 * @param time      the event's time
 * @param service   the span's {@code service.name}
 * @param redis     the Redis written, {@code host:port}; empty for a memory-manager span
 * @param db        the Redis database; 0 for a memory-manager span
 * @param namespace the key's namespace ({@code memory.namespace})
 * @param key       the key written ({@code memory.key} of the event)
 * @param operation the span's memory operation or Redis command
 * @param change    what the write did to the value
 * @param type      the value's type: {@code string}, {@code hash}, {@code list}, {@code set}, {@code zset},
 *                  {@code object} (a memory-manager value written as JSON)
 * @param base64    whether the payload's texts are base64 (the value's bytes were not UTF-8)
 * @param value     the payload ({@link ValueChange} says its form); cut at the agent's size cap when truncated
 * @param size      the payload's size in bytes before any cut
 * @param truncated whether the payload was cut at the agent's cap (such a value cannot be rebuilt exactly)
 */
public record CapturedValue(String traceId, String spanId, int seq, Instant time, String service, String redis,
    int db, String namespace, String key, String operation, ValueChange change, String type, boolean base64,
    String value, long size, boolean truncated) {
}
