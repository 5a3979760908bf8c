package io.memtrace.collector.view;

import io.memtrace.collector.query.ResultTable;
import java.util.ArrayList;
import java.util.List;

/** The fields of a span the timeline shows, read from one row of a store's answer ({@link #of}). */
public final class TraceSpan {

  final String traceId;
  final String spanId;
  final String parentSpanId;
  final String name;
  final String service;
  final long startMicros;
  final double durationMillis;
  final boolean error;
  final String statusMessage;
  final String key;
  final String agent;
  /** OpenTelemetry's {@code test.case.name}: the test a span ran, shown in brackets like a key. */
  final String testCase;
  final String namespace;
  final Long size;
  /** Whether the span's key facts were read from another instrumentation's statement: a size it lacks is unknown. */
  final boolean fromStatement;
  /** Whether the span's statement hid its key (memtrace.unknown): the view says so rather than show none. */
  final boolean keyUnknown;
  final Boolean found;
  final Long results;
  /** What a store, delete or other operation that is no search or retrieve counted (messages, documents). */
  final Long items;
  /** The memory operation, under either naming convention: set on memory-manager spans only. */
  final String memoryOperation;
  /** {@code db.operation.name}, on database client spans (Redis commands). */
  final String dbOperation;
  /** A database client span: it carries {@code db.system.name} (or the older {@code db.system}). */
  final boolean database;
  final String errorType;
  /** Redis spans retention compressed into this one, per command and namespace. */
  final List<CompressedCount> compressed;
  /** The Redis a database span went to, {@code host:port}, and its database; null for other spans. */
  final String redis;
  final Integer db;
  /** For a read: which write it saw (the store's reader sets it); else null. */
  String lineage;
  /** For a model call: the memory in its prompt ({@link ModelCallLines} sets it); else null. */
  String context;
  /** Whether that memory had a stale or another tenant's record: the line is drawn as a warning. */
  boolean contextFlagged;
  final List<TraceSpan> children = new ArrayList<>();

  private TraceSpan(ResultTable rows, int i) {
    traceId = rows.text(i, "trace_id");
    spanId = rows.text(i, "span_id");
    parentSpanId = rows.text(i, "parent_span_id");
    name = rows.text(i, "name");
    service = rows.text(i, "service_name");
    startMicros = rows.number(i, "start_us");
    durationMillis = rows.decimal(i, "duration_ms") == null ? 0 : rows.decimal(i, "duration_ms");
    error = "ERROR".equals(rows.text(i, "status_code"));
    statusMessage = rows.text(i, "status_message");
    key = rows.text(i, "key");
    agent = rows.text(i, "agent");
    testCase = rows.text(i, "test_case");
    namespace = rows.text(i, "namespace");
    size = longOrNull(rows.value(i, "size"));
    fromStatement = Boolean.TRUE.equals(rows.bool(i, "from_statement"));
    keyUnknown = Boolean.TRUE.equals(rows.bool(i, "key_unknown"));
    found = rows.bool(i, "found");
    results = longOrNull(rows.value(i, "results"));
    items = longOrNull(rows.value(i, "items"));
    memoryOperation = rows.text(i, "memory_operation");
    dbOperation = rows.text(i, "db_operation");
    database = Boolean.TRUE.equals(rows.bool(i, "is_database"));
    errorType = rows.text(i, "error_type");
    compressed = CompressedCount.of(rows.text(i, "compressed_events"));
    redis = rows.text(i, "redis");
    db = rows.value(i, "db") == null ? null : (int) rows.number(i, "db");
  }

  /**
   * The span of row {@code i}, whose columns are {@code trace_id, span_id, parent_span_id, name, service_name,
   * start_us, duration_ms, status_code, status_message, key, agent, test_case, namespace, size, from_statement,
   * key_unknown, found, results, items, memory_operation, db_operation, is_database, error_type, redis, db,
   * compressed_events}, as a store's reader gives them.
   */
  public static TraceSpan of(ResultTable rows, int i) {
    return new TraceSpan(rows, i);
  }

  public String parentSpanId() {
    return parentSpanId;
  }

  public long startMicros() {
    return startMicros;
  }

  public double durationMillis() {
    return durationMillis;
  }

  public String namespace() {
    return namespace;
  }

  /** A database client span (a Redis command). */
  public boolean database() {
    return database;
  }

  /** The Redis ({@code host:port}) of a database span; null for other spans. */
  public String redis() {
    return redis;
  }

  public Integer db() {
    return db;
  }

  /** Sets what {@link #lineage()} says: the store's reader does, for each read. */
  public void lineage(String described) {
    lineage = described;
  }

  public String traceId() {
    return traceId;
  }

  public String spanId() {
    return spanId;
  }

  public String name() {
    return name;
  }

  /** The key the span named, else null (also when its statement hid it: {@link #keyUnknown}). */
  public String key() {
    return key;
  }

  /** Whether the span's statement hid its key (memtrace.unknown). */
  public boolean keyUnknown() {
    return keyUnknown;
  }

  /** For a read: which write it saw, in words; else null. */
  public String lineage() {
    return lineage;
  }

  private static Long longOrNull(Object value) {
    return value == null ? null : ((Number) value).longValue();
  }

  /** What goes in brackets after the name: the key, else the agent, else the test. */
  String label() {
    return key != null ? key : agent != null ? agent : testCase;
  }

  /** A call into a memory manager (not a Redis command under it). */
  public boolean isMemoryOperation() {
    return memoryOperation != null;
  }

  /** A key that names a record or a Redis key: a search's is the pattern it looked for. */
  public boolean namesKey() {
    return key != null && !isSearch();
  }

  /** A search's key is the pattern it looked for. */
  boolean isSearch() {
    String op = memoryOperation != null ? memoryOperation : dbOperation;
    return "SEARCH".equalsIgnoreCase(op);
  }
}
