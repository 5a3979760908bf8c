package io.memtrace.collector.store;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBColumnType;
import org.duckdb.DuckDBDataChunkWriter;
import org.duckdb.DuckDBFunctions;
import org.duckdb.DuckDBTableFunction;
import org.duckdb.DuckDBTableFunctionBindInfo;
import org.duckdb.DuckDBTableFunctionCallInfo;
import org.duckdb.DuckDBTableFunctionInitInfo;
import org.duckdb.DuckDBWritableVector;
import org.duckdb.DuckDBConnection;

/**
 * Not a test: {@link FloorWrite.Way#TYPED_COLUMNS}, the floor's rows handed to DuckDB by a Java table function a column
 * of a 2,048-row chunk at a time, and inserted with {@code INSERT INTO table SELECT * FROM floor_rows()}.
 */
final class FloorColumns implements DuckDBTableFunction<Object, int[], Object> {

  private static final String NAME = "floor_rows";
  private static final String TWO_TO_64 = "18446744073709551616";
  /** The rows the next scan hands over: a benchmark's one writing thread sets them before it inserts. */
  private static volatile List<SpanRow> rows = List.of();
  private static volatile List<Object[]> promoted = List.of();
  private static boolean registered;

  private FloorColumns() {
  }

  static synchronized void insert(DuckDBConnection connection, String table, List<PreparedSpans> requests)
      throws SQLException {
    if (!registered) {
      DuckDBFunctions.tableFunction().withName(NAME).withFunction(new FloorColumns()).register(connection);
      registered = true;
    }
    List<SpanRow> all = new ArrayList<>();
    List<Object[]> values = new ArrayList<>();
    int columns = PromotedAttributes.COLUMNS.size();
    for (PreparedSpans p : requests) {
      for (int i = 0; i < p.size(); i++) {
        all.add(p.rows.get(i));
        values.add(java.util.Arrays.copyOfRange(p.promoted, i * columns, (i + 1) * columns));
      }
    }
    rows = all;
    promoted = values;
    Transaction.run(connection, () -> {
      try (Statement s = connection.createStatement()) {
        return s.executeUpdate("INSERT INTO " + table + " SELECT trace_hi::HUGEINT * " + TWO_TO_64 + " + trace_lo::HUGEINT "
            + "+ CASE WHEN trace_lo < 0 THEN " + TWO_TO_64 + " ELSE 0 END, * EXCLUDE (trace_hi, trace_lo) "
            + "REPLACE (make_timestamp(received_at) AS received_at) FROM " + NAME + "()");
      }
    });
  }

  @Override
  public Object bind(DuckDBTableFunctionBindInfo info) {
    for (String c : new String[] {"trace_hi", "trace_lo", "span_id", "parent_span_id", "start_nanos", "end_nanos"}) {
      info.addResultColumn(c, DuckDBColumnType.BIGINT);
    }
    for (String c : TEXT) {
      info.addResultColumn(c, DuckDBColumnType.VARCHAR);
    }
    info.addResultColumn("received_at", DuckDBColumnType.BIGINT);
    for (PromotedAttributes.Column c : PromotedAttributes.COLUMNS) {
      info.addResultColumn(c.name(), DuckDBColumnType.valueOf(c.type()));
    }
    info.addResultColumn("links", DuckDBColumnType.VARCHAR);
    return new Object();
  }

  private static final String[] TEXT = {"trace_state", "name", "kind", "status_code", "status_message", "service_name",
      "scope_name", "attributes", "events", "resource_attributes"};

  @Override
  public int[] init(DuckDBTableFunctionInitInfo info) {
    info.setMaxThreads(1);
    return new int[1];
  }

  @Override
  public long apply(DuckDBTableFunctionCallInfo info, DuckDBDataChunkWriter out) {
    int[] next = info.getInitData();
    List<SpanRow> all = rows;
    int from = next[0];
    int n = (int) Math.min(out.capacity(), all.size() - from);
    if (n <= 0) {
      return 0;
    }
    DuckDBWritableVector traceHi = out.vector(0);
    DuckDBWritableVector traceLo = out.vector(1);
    DuckDBWritableVector span = out.vector(2);
    DuckDBWritableVector parent = out.vector(3);
    DuckDBWritableVector start = out.vector(4);
    DuckDBWritableVector end = out.vector(5);
    String[][] text = new String[TEXT.length + 1][n];
    for (int i = 0; i < n; i++) {
      SpanRow r = all.get(from + i);
      traceHi.setLong(i, Long.parseUnsignedLong(r.traceId(), 0, 16, 16));
      traceLo.setLong(i, Long.parseUnsignedLong(r.traceId(), 16, 32, 16));
      span.setLong(i, Long.parseUnsignedLong(r.spanId(), 16));
      if (r.parentSpanId() == null || r.parentSpanId().isEmpty()) {
        parent.setNull(i);
      } else {
        parent.setLong(i, Long.parseUnsignedLong(r.parentSpanId(), 16));
      }
      start.setLong(i, r.startNanos());
      end.setLong(i, r.endNanos());
      String[] t = {r.traceState(), r.name(), r.kind(), r.statusCode(), r.statusMessage(), r.serviceName(),
          r.scopeName(), r.attributesJson(), r.eventsJson(), r.resourceJson(), r.linksJson()};
      for (int c = 0; c < t.length; c++) {
        text[c][i] = t[c] == null || t[c].isEmpty() ? null : t[c];
      }
    }
    int column = 6;
    for (int c = 0; c < TEXT.length; c++) {
      strings(out.vector(column++), text[c]);
    }
    DuckDBWritableVector received = out.vector(column++);
    long now = System.currentTimeMillis() * 1000;
    for (int i = 0; i < n; i++) {
      received.setLong(i, now);
    }
    List<Object[]> values = promoted;
    for (int c = 0; c < PromotedAttributes.COLUMNS.size(); c++, column++) {
      DuckDBWritableVector v = out.vector(column);
      String type = PromotedAttributes.COLUMNS.get(c).type();
      if (type.equals("VARCHAR")) {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
          s[i] = (String) values.get(from + i)[c];
        }
        strings(v, s);
        continue;
      }
      for (int i = 0; i < n; i++) {
        Object value = values.get(from + i)[c];
        if (value == null) {
          v.setNull(i);
        } else if (value instanceof Long l) {
          v.setLong(i, l);
        } else if (value instanceof Double d) {
          v.setDouble(i, d);
        } else {
          v.setBoolean(i, (Boolean) value);
        }
      }
    }
    strings(out.vector(column), text[TEXT.length]);
    next[0] = from + n;
    return n;
  }

  /** A chunk's column of strings in one call; nulls set one by one. */
  private static void strings(DuckDBWritableVector v, String[] values) {
    v.setStrings(0, values);
  }
}
