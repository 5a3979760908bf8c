package io.memtrace.collector.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.lineage.KeyspaceAtStart;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.KeyspaceState;
import io.memtrace.collector.view.TraceSpan;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code keyspace} and {@code keyspace_server} tables' rows, for {@link EmbeddedReader#keyspace}, and the keyspace
 * at a trace's start, for {@link EmbeddedReader#keyspaceAtStart}.
 */
final class KeyspaceRows {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** How a {@code TIMESTAMP} comes out of a {@link SqlSource} (see {@code ResultValues}); the tables keep UTC. */
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private KeyspaceRows() {
  }

  static KeyspaceState read(SqlSource source, Instant since) {
    return new KeyspaceState(rows(source, "keyspace", "redis, db, namespace", since),
        rows(source, "keyspace_server", "redis", since));
  }

  private static List<Map<String, Object>> rows(SqlSource source, String table, String key, Instant since) {
    String sql = since == null
        ? "SELECT * FROM " + table + " QUALIFY row_number() OVER (PARTITION BY " + key + " ORDER BY time DESC) = 1 ORDER BY "
            + key
        : "SELECT * FROM " + table + " WHERE time >= TIMESTAMP '" + TIMESTAMP.format(since.atOffset(ZoneOffset.UTC))
            + "' ORDER BY time, " + key;
    ResultTable result = source.query(sql);
    if (result.truncated()) {
      // the server's query limits bound these rows as they bound /api/query's: half an answer would read as all of it
      throw new CollectorException("the " + table + " rows" + (since == null ? "" : " since " + since) + " pass the query "
          + "limits (only " + result.truncation() + " fit); ask for a shorter time");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (List<Object> values : result.rows()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 0; i < values.size(); i++) {
        ResultTable.Column column = result.columns().get(i);
        row.put(column.name(), value(column, values.get(i)));
      }
      out.add(row);
    }
    return out;
  }

  private static Object value(ResultTable.Column column, Object v) {
    if (v == null) {
      return null;
    }
    if (column.type().startsWith("TIMESTAMP")) {
      return LocalDateTime.parse(v.toString(), TIMESTAMP).toInstant(ZoneOffset.UTC).toString();
    }
    // a JSON column comes parsed from the store itself; from a server's answer it may be text
    if ("types".equals(column.name()) && v instanceof String) {
      try {
        return JSON.readTree(v.toString());
      } catch (JsonProcessingException e) {
        return v.toString();
      }
    }
    return v;
  }

  /**
   * The size of each namespace the trace touched in the keyspace sample nearest its start
   * ({@link KeyspaceAtStart}); no lines when there is no sample, or no {@code keyspace} table.
   */
  public static List<String> keyspaceAtStart(SqlSource source, List<TraceSpan> spans) {
    if (spans.isEmpty()) {
      return List.of();
    }
    Set<KeyspaceAtStart.Place> places = new LinkedHashSet<>();
    for (TraceSpan s : spans) {
      if (s.namespace() != null && (s.database() || s.isMemoryOperation())) {
        places.add(new KeyspaceAtStart.Place(s.database() ? s.redis() : null, s.database() ? s.db() : null, s.namespace()));
      }
    }
    long start = spans.stream().mapToLong(TraceSpan::startMicros).min().orElse(0);
    try {
      return KeyspaceAtStart.lines(source, start, places);
    } catch (CollectorException e) {
      return List.of();
    }
  }
}
