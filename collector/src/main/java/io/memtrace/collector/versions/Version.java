package io.memtrace.collector.versions;

/**
 * One version of a record: a change to its value, what made it, and the diff from the version before.
 *
 * @param number    the version's place, from 1 (the oldest shown may be above 1 when older ones were left out)
 * @param timeUs    when: a captured write's time (the command's end), else the timeline event's, epoch microseconds
 * @param what      {@code write} (its value captured), {@code write_not_captured} (a write whose value was not
 *                  captured: only its size is known), {@code delete}, {@code expiry} or {@code eviction} (the value
 *                  gone)
 * @param change    for a captured write, what it did ({@code replace}, {@code fields_set}, … as the wire names it)
 * @param by        {@code trace}, {@code redis}, {@code outside} or {@code unknown}, as the timeline says
 * @param cause     who did it, in words
 * @param traceId   the trace that made it, when a traced service did
 * @param spanId    its span
 * @param service   its service
 * @param operation the memory operation or Redis command
 * @param type      the value's type after this version; null when the key holds nothing
 * @param size      the bytes written: a captured payload's size before any cut, or the span's value size
 * @param truncated whether the captured payload was cut at the agent's cap ({@code capture.value-max-bytes}), so
 *                  the value after it is known only in part
 * @param exact     whether the value after this version is known exactly (every write up to here captured whole)
 * @param summary   the value after, in words: {@code hash, 4 fields}, {@code string, 12 B}, {@code gone}
 * @param note      what the version cannot show, in words; null when nothing
 * @param diff      what changed
 */
public record Version(int number, long timeUs, String what, String change, String by, String cause, String traceId,
    String spanId, String service, String operation, String type, Long size, boolean truncated, boolean exact,
    String summary, String note, Diff diff) {
}
