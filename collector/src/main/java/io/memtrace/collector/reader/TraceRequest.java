package io.memtrace.collector.reader;

/**
 * Which traces to show.
 *
 * @param traceId one trace, by its hex id or a prefix of one; null for the most recent
 * @param last    how many of the most recent traces, when no id is given
 * @param service only traces of this {@code service.name}, when no id is given; null for any
 */
public record TraceRequest(String traceId, int last, String service) {
}
