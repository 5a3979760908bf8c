package io.memtrace.collector.store;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Compact key events (ADR 0004: the commands retention compressed, sent as lines of a {@code memtrace.key_events}
 * carrier) stored as narrow rows, not spans. The decoder turns each into the span it stands for, marked
 * {@code memtrace.key_event=true}; the writer appends such a row to {@code span_ingest} without its wide columns
 * ({@code attributes}, {@code resource_attributes} and {@code links} null, which no decoded span leaves them), and a
 * move or bulk load derives the kept tables from it as from any span, then keeps it in {@link #TABLE} instead of
 * {@code span_store}. The {@code spans} view renders each as the span it stands for ({@link #spans}), so every reader
 * of spans (traces, the trace page, {@code query}, MCP, the report over spans) answers as when it was stored as one,
 * without the resource attributes.
 *
 * <p>Only a row whose attributes are exactly those a key event carries, in the order the decoder writes them and of
 * their types, is narrow: anything else (the first form's events, 2026-11-29, may carry more) stays a span.
 */
public final class KeyEventRows {

  /** Where compact key events are kept once moved out of {@code span_ingest}. */
  public static final String TABLE = "key_event_span_store";

  /** The attribute that marks a span made from a key event ({@code KeyEventSpans.MARK}). */
  static final String MARK = "memtrace.key_event";

  /** A key event's attributes, in the decoder's order: the attribute, its column, and the column's type. */
  private static final List<String[]> ATTRIBUTES = List.of(
      new String[] {"db.system.name", "db_system_name", "VARCHAR"},
      new String[] {"db.operation.name", "db_operation_name", "VARCHAR"},
      new String[] {"db.namespace", "db_namespace", "VARCHAR"},
      new String[] {"memory.found", "memory_found", "BOOLEAN"},
      new String[] {"memory.key", "memory_key", "VARCHAR"},
      new String[] {"memory.namespace", "memory_namespace", "VARCHAR"},
      new String[] {"memory.result_count", "memory_result_count", "BIGINT"},
      new String[] {"memory.ttl", "memory_ttl", "BIGINT"},
      new String[] {"memory.value_size", "memory_value_size", "BIGINT"},
      new String[] {"server.address", "server_address", "VARCHAR"},
      new String[] {"server.port", "server_port", "BIGINT"},
      new String[] {MARK, null, "BOOLEAN"});

  private static final Map<String, Integer> ORDER = java.util.stream.IntStream.range(0, ATTRIBUTES.size()).boxed()
      .collect(Collectors.toMap(i -> ATTRIBUTES.get(i)[0], i -> i));

  /** Each attribute's promoted column ({@link PromotedAttributes#indexOf}; -1 for none), by its place in the order. */
  static final int[] PROMOTED = ATTRIBUTES.stream().mapToInt(a -> PromotedAttributes.indexOf(a[0])).toArray();

  /** Each attribute's type as {@link AttributeTypes} records it, by its place in the order. */
  static final String[] TYPES = ATTRIBUTES.stream().map(a -> switch (a[2]) {
    case "VARCHAR" -> AttributeTypes.STRING;
    case "BIGINT" -> AttributeTypes.INT;
    default -> AttributeTypes.BOOL;
  }).toArray(String[]::new);

  /** The attributes kept as columns: not the mark, nor {@code db_system_name} (always redis). */
  private static final List<String[]> KEPT = ATTRIBUTES.stream()
      .filter(a -> a[1] != null && !a[1].equals("db_system_name")).toList();

  /** The columns kept of each: the span's own and the typed ones a key event has. */
  private static final String NARROW_COLUMNS = "trace_id, span_id, parent_span_id, name, start_time, end_time, "
      + "duration_ms, service_name, scope_name, events, received_at, "
      + KEPT.stream().map(a -> a[1]).collect(Collectors.joining(", "));

  static final String DDL = "CREATE TABLE IF NOT EXISTS " + TABLE + " (trace_id VARCHAR NOT NULL, "
      + "span_id VARCHAR NOT NULL, parent_span_id VARCHAR, name VARCHAR NOT NULL, start_time TIMESTAMP, "
      + "end_time TIMESTAMP, duration_ms DOUBLE, service_name VARCHAR, scope_name VARCHAR, events JSON, "
      + "received_at TIMESTAMP, " + KEPT.stream().map(a -> a[1] + " " + a[2]).collect(Collectors.joining(", ")) + ")";

  /**
   * Where the writer appends compact key events, narrow, until a move keeps them in {@link #TABLE}: {@code seq} and
   * {@link #NARROW_COLUMNS}, uncompressed as {@code span_ingest} is. Appending a key event to {@code span_ingest}'s 42
   * columns, most of them null, cost about 8 us of CPU a row with its commit, and to these 22 about 6 (a probe of
   * 2026-12-02, docs/history/collector-write-2026-12-02.md). {@link Schema#TAIL} shows them as the rows of
   * {@code span_ingest} they were.
   */
  public static final String INGEST_TABLE = "key_event_ingest";

  /** The writer's bulk load's table for compact key events, beside {@link Schema#BULK_TABLE}: temporary, in no WAL. */
  static final String BULK_TABLE = "key_event_bulk";

  /** {@link #INGEST_TABLE}'s definition, or with {@code kind} {@code TEMPORARY TABLE}, {@link #BULK_TABLE}'s. */
  static String ingestTable(String kind, String name) {
    return "CREATE " + kind + " IF NOT EXISTS " + name + " (" + Schema.uncompressed("seq BIGINT NOT NULL, "
        + "trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL, parent_span_id VARCHAR, name VARCHAR NOT NULL, "
        + "start_time TIMESTAMP, end_time TIMESTAMP, duration_ms DOUBLE, service_name VARCHAR, scope_name VARCHAR, "
        + "events VARCHAR, received_at TIMESTAMP, " + KEPT.stream().map(a -> a[1] + " " + a[2])
        .collect(Collectors.joining(", "))) + ")";
  }

  /** The kept attributes' places in {@link PromotedAttributes#COLUMNS}, in {@link #INGEST_TABLE}'s order. */
  static final int[] KEPT_PROMOTED = KEPT.stream().mapToInt(a -> PromotedAttributes.indexOf(a[0])).toArray();

  /**
   * The rows of {@code narrow} (a table of {@link #INGEST_TABLE}'s columns) as the rows of {@code span_ingest} they
   * were before 2026-12-02, in {@link Schema#INGEST_COLUMNS}' order: what {@link RowAppender} wrote for a compact key
   * event, its attributes, resource and links null, the promoted columns it has not null too.
   */
  static String asIngestRows(String narrow) {
    String promoted = PromotedAttributes.COLUMNS.stream().map(c -> c.name().equals("db_system_name")
        ? "'redis' AS db_system_name" : ORDER.containsKey(c.key()) ? c.name()
        : "NULL::" + c.type() + " AS " + c.name()).collect(Collectors.joining(", "));
    return "SELECT seq, trace_id, span_id, parent_span_id, NULL::VARCHAR AS trace_state, name, 'CLIENT' AS kind, "
        + "start_time, end_time, duration_ms, 'UNSET' AS status_code, NULL::VARCHAR AS status_message, service_name, "
        + "scope_name, NULL::VARCHAR AS attributes, events, NULL::VARCHAR AS resource_attributes, received_at, "
        + promoted + ", NULL::VARCHAR AS links FROM " + narrow;
  }

  /** The rows of {@code span_ingest} (or a table of its columns) that are compact key events. */
  static final String IN_INGEST = "attributes IS NULL";

  /**
   * Whether compact key events are kept narrow: the default. {@code -Dmemtrace.store.key-event-rows=false} stores them
   * as the spans they stand for, as before 2026-12-01, so that a benchmark can run both ways on one jar.
   */
  static volatile boolean narrow = !"false".equals(System.getProperty("memtrace.store.key-event-rows"));

  private KeyEventRows() {
  }

  /**
   * Whether the writer appends {@code r} as a compact key event: marked, a CLIENT span with no status, state, links or
   * values, and its attributes exactly a key event's, in order and of their types.
   */
  static boolean compact(SpanRow r) {
    return r.attributes().get(MARK) == Boolean.TRUE && "CLIENT".equals(r.kind()) && "UNSET".equals(r.statusCode())
        && r.linksJson() == null && r.values().isEmpty() && (r.statusMessage() == null || r.statusMessage().isEmpty())
        && (r.traceState() == null || r.traceState().isEmpty()) && keptNarrow(r.attributes());
  }

  /**
   * Whether a marked span with these attributes, and no status, state, links or values, is kept narrow: then the store
   * never writes its attributes as JSON text, and the decoder need not make it ({@link SpanRow#attributesJson} null).
   */
  public static boolean keptNarrow(Map<String, Object> attributes) {
    if (!narrow || attributes.get(MARK) != Boolean.TRUE || !"redis".equals(attributes.get("db.system.name"))) {
      return false;
    }
    int last = -1;
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      Integer at = ORDER.get(e.getKey());
      if (at == null || at <= last || !typed(ATTRIBUTES.get(at)[2], e.getValue())) {
        return false;
      }
      last = at;
    }
    return true;
  }

  /** The place of a key event's attribute in the order, or -1 when {@code key} is none. */
  static int index(String key) {
    Integer at = ORDER.get(key);
    return at == null ? -1 : at;
  }

  /** The attribute at {@code index} in the order. */
  static String key(int index) {
    return ATTRIBUTES.get(index)[0];
  }

  private static boolean typed(String type, Object value) {
    return switch (type) {
      case "VARCHAR" -> value instanceof String;
      case "BIGINT" -> value instanceof Long;
      default -> value instanceof Boolean;
    };
  }

  /**
   * The span each compact key event of {@code rows} stands for, in the columns of the {@code spans} view: its
   * attributes written out as the decoder wrote them (an attribute present only when its column is not null), as
   * {@code VARIANT}; no resource attributes or links.
   */
  static String spans(String rows) {
    return spans(rows, "");
  }

  /**
   * The rows of {@link #TABLE} from row id {@code from} up to {@code to}, as {@link #spans} gives them, with
   * {@code seq} (the row id plus {@code offset}) first: a slice of them, for a layer that builds its tables again
   * from what the store holds, as from a slice of {@code span_store}.
   */
  public static String slice(long from, long to, long offset) {
    return "(" + spans("(SELECT rowid AS rid, * FROM " + TABLE + " WHERE rowid >= " + from + " AND rowid < " + to
        + ")", "rid + " + offset + " AS seq, ") + ") AS slice";
  }

  private static String spans(String rows, String first) {
    String attributes = "('{' || concat_ws(',', " + ATTRIBUTES.stream().map(a -> a[1] == null
        ? "'\"" + a[0] + "\":true'" : a[1].equals("db_system_name") ? "'\"" + a[0] + "\":\"redis\"'"
        : "'\"" + a[0] + "\":' || to_json(" + a[1] + ")").collect(Collectors.joining(", ")) + ") || '}')::JSON::VARIANT";
    String promoted = PromotedAttributes.COLUMNS.stream().map(c -> c.name().equals("db_system_name")
        ? "'redis' AS db_system_name" : ORDER.containsKey(c.key()) ? c.name()
        : "NULL::" + c.type() + " AS " + c.name()).collect(Collectors.joining(", "));
    return "SELECT " + first + "trace_id, span_id, parent_span_id, NULL::VARCHAR AS trace_state, name, 'CLIENT' AS kind, start_time, "
        + "end_time, duration_ms, 'UNSET' AS status_code, NULL::VARCHAR AS status_message, service_name, scope_name, "
        + attributes + " AS attributes, coalesce(events::JSON, '[]'::JSON) AS events, NULL::JSON AS resource_attributes, "
        + "received_at, " + promoted + ", NULL::JSON AS links FROM " + rows;
  }

  /**
   * Every span the store holds, with the typed columns: {@code span_store} and the compact key events of {@link #TABLE}
   * as the spans they stand for. What a kept set is built again from ({@link KeptTables#STORED}).
   */
  static String stored() {
    return "(SELECT " + Schema.SPAN_COLUMNS + " FROM span_store UNION ALL " + spans(TABLE) + ") AS stored";
  }

  /** Keeps the compact key events of {@code rows} (a relation of {@code span_ingest}'s columns); the rows kept. */
  static String insert(String rows) {
    return "INSERT INTO " + TABLE + " (" + NARROW_COLUMNS + ") SELECT " + NARROW_COLUMNS.replace("events,",
        "CASE WHEN events IS NULL OR events = '[]' THEN NULL ELSE events::JSON END AS events,") + " FROM " + rows
        + " WHERE " + IN_INGEST;
  }
}
