package io.memtrace.collector.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memtrace.collector.CollectorException;
import io.memtrace.collector.query.ResultTable;
import io.memtrace.collector.query.SqlSource;
import io.memtrace.collector.reader.KeyspaceState;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code keyspace} and {@code keyspace_server} tables' rows, for {@link EmbeddedReader#keyspace}. */
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
}
