package io.memtrace.collector.reader;

import io.memtrace.collector.CollectorException;
import io.memtrace.collector.provenance.ModelCall;
import io.memtrace.collector.provenance.TenantRule;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.values.CapturedValue;
import io.memtrace.collector.values.ValuesRequest;
import io.memtrace.collector.view.TraceSpan;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The questions memtrace's views and commands ask of a span store, whichever store answers them: the report, the
 * traces with their lineage, the keyspace at a trace's start, and the store's own SQL for {@code query}. The
 * commands and pages know only this interface; each store is a package that implements it (the embedded DuckDB
 * store in {@code io.memtrace.collector.embedded}), and one contract suite asks every implementation the same
 * questions of the same spans, as Jaeger v2's query service knows only its {@code tracestore.Reader}. The keyspace
 * watcher's samples are asked here too: the memory state is read like the spans.
 *
 * <p>Answers are plain values ({@link Section}s of {@link ResultTable}s with the columns each section documents,
 * {@link TraceSpan}s), never a driver's result set, so two stores can be compared row by row. Failures are
 * {@code CollectorException}s whose message says what went wrong. A reader is used by one thread at a time.
 */
public interface StoreReader extends AutoCloseable {

  /** Where the answers come from, for messages: a data directory, a running collector, this collector's store. */
  String describe();

  /**
   * Spans a running collector had acknowledged and not yet loaded when this reader first asked it: what its answers
   * may lack. 0 when none, and for a store read directly, which says so itself.
   */
  long pendingSpans();

  /** Every section of the report, in the order shown, for the request's spans and layer. */
  Report report(ReportRequest request);

  /**
   * The sections of the report's headline ({@link Report#HEADLINE}), equal to those of {@link #report} for the same
   * request; a store that can ask them alone does, as the whole report takes seconds on a large store.
   */
  default Report headline(ReportRequest request) {
    return report(request).headline();
  }

  /**
   * The traces the request names (one id or prefix) or the most recent ones, oldest first, each with its spans in
   * start order and, on each read, the write it saw ({@code lineage}). A trace the store does not hold maps to an
   * empty list.
   */
  Map<String, List<TraceSpan>> traces(TraceRequest request);

  /**
   * The size of each namespace the trace's spans touched in the keyspace sample nearest its start, one line each;
   * no lines when no sample was taken.
   */
  List<String> keyspaceAtStart(List<TraceSpan> trace);

  /**
   * The keyspace watcher's samples: with {@code since} null, the latest per Redis, database and namespace (and per
   * Redis for the server's figures), ordered by them; else every row since then, oldest first.
   */
  KeyspaceState keyspace(Instant since);

  /**
   * The model calls of one trace whose spans started between {@code fromMicros} and {@code toMicros} (epoch
   * microseconds; the trace's first and last span start, which keep the lookup to that time), each with the memory
   * its prompt was given: the linked memory spans, the Redis keys read under them, the write each value came from,
   * and the stale and other-tenant marks under {@code tenant}.
   */
  List<ModelCall> modelCalls(String traceId, long fromMicros, long toMicros, TenantRule tenant);

  /**
   * One record's life, oldest first ({@link KeyTimeline}): the key's writes, reads, TTL changes and deletes from the
   * spans of both layers, and Redis's own expiries, evictions and outside changes from the keyspace notifications,
   * each read with the write it saw and, when it found nothing, why. The same rows give every store the same answer.
   */
  KeyTimeline timeline(TimelineRequest request);

  /**
   * The values captured for the request's key or namespace (the {@code memory.value} span events, kept apart from
   * the spans), oldest first, in the order they were written. Values are kept only where the agent's
   * {@code capture.values} asked for them; a store that keeps none says so.
   */
  List<CapturedValue> capturedValues(ValuesRequest request);

  /**
   * The changes of the Redis keys of a namespace glob that carry no captured value, in a time range, oldest first by
   * their end ({@link KeyChange}): the traced Redis commands that wrote, deleted or changed a TTL (their values, when
   * captured, come from {@link #capturedValues}), and Redis's keyspace notifications (writes, deletes, TTL changes,
   * expiries, evictions), the same rows the {@link #timeline} reads. Reads are left out. What {@code restore --as-of}
   * applies besides the values.
   */
  List<KeyChange> keyChanges(KeyChangesRequest request);

  /**
   * What the watcher's keyspace notifications covered: every status row ({@code key_notification_status}), oldest
   * first; empty when none was recorded. What an answer about expiries, evictions and outside changes rests on.
   */
  List<io.memtrace.collector.timeline.RecordRows.StatusRow> notificationCoverage();

  /**
   * How many rows one {@link #capturedValues} or {@link #keyChanges} read should ask for when a caller wants many (a
   * rebuild): under the store's row cap, which would cut a larger answer; a store read in this process streams its
   * rows uncapped and can take them all at once.
   */
  default int rowsPerRead() {
    return 100_000;
  }

  /**
   * Runs one read-only statement in the store's own SQL over the documented views ({@code spans} with
   * {@code trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ms, status_code,
   * service_name, attributes, events}, and {@code metrics}), within the store's query limits.
   */
  ResultTable query(String sql);

  /**
   * As {@link #query}, and the statement may also read the captured values (embedded: {@code key_value}; ClickHouse:
   * {@code memtrace_key_values}), which a query reads only when its user asked ({@code query --include-values}).
   */
  ResultTable queryWithValues(String sql);

  /**
   * Answers one question of the web view's pages ({@link ViewQuestion.Kind} says each one's parameters and columns)
   * in the store's own SQL, within the store's query limits, so the pages never send a store's dialect.
   */
  ViewAnswer view(ViewQuestion question);

  @Override
  void close();

  /** Opens readers of one store: a command opens one, a server one per request that reads. */
  @FunctionalInterface
  interface Factory {

    StoreReader open();
  }
}
