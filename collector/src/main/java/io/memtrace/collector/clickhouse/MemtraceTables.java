package io.memtrace.collector.clickhouse;

/**
 * memtrace's own tables beside {@code otel_traces}, each kept by a materialized view (see {@link MemtraceViews}) so
 * that no analysis scans raw spans. Figures behind each choice are in docs/fleet.md, "Schema".
 */
final class MemtraceTables {

  static final String OPS = "memtrace_ops";
  static final String SPANS = "memtrace_spans";
  static final String KEYSPACE = "memtrace_keyspace";
  static final String KEY_NOTIFICATIONS = "memtrace_key_notifications";
  static final String KEY_NOTIFICATION_STATUS = "memtrace_key_notification_status";
  static final String KEY_VALUES = "memtrace_key_values";

  /** A key's shard: its store and key, so a key's history, its lineage and its totals live on one shard. */
  static final String KEY_SHARD = "cityHash64(Store, Key)";

  private MemtraceTables() {
  }

  /**
   * One row per memory or Redis operation on a key: the typed columns the key analytics and lineage read.
   * Sorted by (store, namespace, key, time): a key's history and the last write before a read are a range of one
   * key; a namespace is a range too. Day partitions, as otel_traces has, so a TTL drops whole days. Timestamps
   * within a key rise, so Delta before ZSTD leaves a few bytes a row; the sorted keys compress by their shared
   * prefixes; a trace's operations are found by the bloom filter on TraceId.
   */
  static Table ops() {
    String columns = String.join("\n",
        "    Store LowCardinality(String) CODEC(ZSTD(1)),",
        "    Namespace LowCardinality(String) CODEC(ZSTD(1)),",
        "    Key String CODEC(ZSTD(1)),",
        "    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),",
        "    Operation LowCardinality(String) CODEC(ZSTD(1)),",
        "    Kind Enum8('other' = 0, 'read' = 1, 'write' = 2, 'delete' = 3, 'expire' = 4) CODEC(ZSTD(1)),",
        "    Access Enum8('other' = 0, 'read' = 1, 'write' = 2, 'delete' = 3) CODEC(ZSTD(1)),",
        "    KeySource Enum8('span' = 1, 'statement' = 2, 'hidden' = 3) CODEC(ZSTD(1)),",
        "    ServiceName LowCardinality(String) CODEC(ZSTD(1)),",
        "    TraceId String CODEC(ZSTD(1)),",
        "    SpanId String CODEC(ZSTD(1)),",
        "    ParentSpanId String CODEC(ZSTD(1)),",
        "    Duration UInt64 CODEC(T64, ZSTD(1)),",
        "    ValueSize Nullable(UInt64) CODEC(T64, ZSTD(1)),",
        "    Ttl Nullable(Int64) CODEC(ZSTD(1)),",
        "    Found Nullable(UInt8) CODEC(ZSTD(1)),",
        "    Error UInt8 CODEC(ZSTD(1)),",
        "    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1");
    return new Table(OPS, "memtrace: one row per memory or Redis operation on a key", columns, "MergeTree",
        "toDate(Timestamp)", null, "(Store, Namespace, Key, Timestamp)", "toDateTime(Timestamp)",
        "index_granularity = 8192, ttl_only_drop_parts = 1", KEY_SHARD);
  }

  /** The keyspace watcher's samples: per Redis, database, namespace and pass. Written by the watcher, not a view. */
  static Table keyspace() {
    String columns = String.join("\n",
        "    Time DateTime64(3) CODEC(Delta(8), ZSTD(1)),",
        "    Redis LowCardinality(String),",
        "    Db UInt16,",
        "    Namespace LowCardinality(String),",
        "    Layer LowCardinality(String),",
        "    Keys UInt64 CODEC(T64, ZSTD(1)),",
        "    Bytes UInt64 CODEC(T64, ZSTD(1)),",
        "    BytesError UInt64 CODEC(T64, ZSTD(1)),",
        "    SampledKeys UInt64 CODEC(T64, ZSTD(1)),",
        "    KeysWithoutTtl UInt64 CODEC(T64, ZSTD(1)),",
        "    TtlP50S Nullable(Float64), TtlP90S Nullable(Float64), TtlP99S Nullable(Float64),",
        "    IdleP50S Nullable(Float64), IdleP90S Nullable(Float64), IdleP99S Nullable(Float64),",
        "    LfuFreqP50 Nullable(Float64),",
        "    Types Map(LowCardinality(String), UInt64),",
        "    PassId UInt64,",
        "    Complete Bool,",
        "    Stale Bool,",
        // a pass that sampled the namespace (SCANs at random cursors) estimates its keys within KeysError
        "    KeysError UInt64 CODEC(T64, ZSTD(1)),",
        "    Sampled Bool");
    return new Table(KEYSPACE, "memtrace: the keyspace watcher's samples per namespace and pass", columns, "MergeTree",
        "toYYYYMM(Time)", null, "(Redis, Db, Namespace, Time)", "toDateTime(Time)", null,
        "cityHash64(Redis, Namespace)");
  }

  /**
   * The keyspace notifications the watcher recorded: one row per key event Redis reported, as the embedded store's
   * {@code key_notification}. Ordered and sharded as {@code memtrace_ops}, by the Redis address as its store, so a key's
   * notifications sit beside its operations and a timeline reads one range on one shard.
   */
  static Table keyNotifications() {
    String columns = String.join("\n",
        "    Store LowCardinality(String) CODEC(ZSTD(1)),",
        "    Db UInt16,",
        "    Namespace LowCardinality(String) CODEC(ZSTD(1)),",
        "    Key String CODEC(ZSTD(1)),",
        "    Timestamp DateTime64(6) CODEC(Delta(8), ZSTD(1)),",
        "    Event LowCardinality(String),",
        "    Kind Enum8('write' = 1, 'delete' = 2, 'ttl' = 3, 'expiry' = 4, 'eviction' = 5),",
        "    Weight Float64 DEFAULT 1");
    return new Table(KEY_NOTIFICATIONS, "memtrace: the keyspace notifications the watcher recorded", columns,
        "MergeTree", "toDate(Timestamp)", null, "(Store, Namespace, Key, Timestamp)", "toDateTime(Timestamp)",
        "ttl_only_drop_parts = 1", KEY_SHARD);
  }

  /**
   * The captured values, apart from the spans, as the embedded store's {@code key_value}: one row per
   * {@code memory.value} event of {@code otel_traces}, which {@link MemtraceViews#keyValues} takes out of each span's
   * events. Ordered by (namespace, key, time), so a key's versions and a namespace's writes are one range; sharded as
   * a key's operations are, by its Redis and key. The payloads compress best with ZSTD at a higher level.
   */
  static Table keyValues() {
    String columns = String.join("\n",
        "    Namespace LowCardinality(String) CODEC(ZSTD(1)),",
        "    Key String CODEC(ZSTD(1)),",
        "    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),",
        "    TraceId String CODEC(ZSTD(1)),",
        "    SpanId String CODEC(ZSTD(1)),",
        "    Seq UInt32,",
        "    ServiceName LowCardinality(String) CODEC(ZSTD(1)),",
        "    Redis LowCardinality(String) CODEC(ZSTD(1)),",
        "    Db UInt16,",
        "    Operation LowCardinality(String),",
        "    Change LowCardinality(String),",
        "    Type LowCardinality(String),",
        "    Base64 Bool,",
        "    Value String CODEC(ZSTD(3)),",
        "    Size UInt64 CODEC(T64, ZSTD(1)),",
        "    Truncated Bool");
    return new Table(KEY_VALUES, "memtrace: the captured values (memory.value span events), kept apart from the spans",
        columns, "MergeTree", "toDate(Timestamp)", null, "(Namespace, Key, Timestamp)", "toDateTime(Timestamp)",
        "ttl_only_drop_parts = 1", "cityHash64(Redis, Key)");
  }

  /**
   * The coverage columns of {@link #keyNotificationStatus}, last, as an earlier store gets them ({@code ADD COLUMN}):
   * the globs of the namespaces recorded, and those that lost notifications since the row before (null: none).
   */
  static final String[] NOTIFICATION_COVERAGE_COLUMNS = {"Namespaces String DEFAULT ''",
      "DroppedNamespaces Nullable(String)"};

  /** What the watcher's notifications cover, as the embedded store's {@code key_notification_status}. Small: kept whole. */
  static Table keyNotificationStatus() {
    String columns = String.join("\n",
        "    Time DateTime64(3) CODEC(Delta(8), ZSTD(1)),",
        "    Redis LowCardinality(String),",
        "    State LowCardinality(String),",
        "    NotifyConfig String,",
        "    Received UInt64, Recorded UInt64, DroppedRate UInt64, DroppedSampled UInt64, DroppedQueue UInt64,",
        "    Error String,",
        "    " + NOTIFICATION_COVERAGE_COLUMNS[0] + ",",
        "    " + NOTIFICATION_COVERAGE_COLUMNS[1]);
    return new Table(KEY_NOTIFICATION_STATUS, "memtrace: what the watcher's keyspace notifications cover", columns,
        "MergeTree", "toYYYYMM(Time)", null, "(Redis, Time)", "toDateTime(Time)", null, null);
  }
}
