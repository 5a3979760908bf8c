package io.memtrace.collector.store;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Not a test: the ENUM types of {@link FloorWrite.Way#TYPED_ENUM}, one a name column, of the values a round holds. */
final class FloorEnums {

  private static final List<String> ENUMS = List.of("name", "kind", "status_code", "service_name", "scope_name");

  /** Drops {@code table} and the types of the round before, and makes the types of the names these rows hold. */
  static String ddl(String table, List<PreparedSpans> requests) {
    StringBuilder sql = new StringBuilder("DROP TABLE IF EXISTS " + table + "; ");
    for (String column : ENUMS) {
      Set<String> values = new TreeSet<>();
      for (PreparedSpans p : requests) {
        for (SpanRow r : p.rows) {
          String v = switch (column) {
            case "name" -> r.name();
            case "kind" -> r.kind();
            case "status_code" -> r.statusCode();
            case "service_name" -> r.serviceName();
            default -> r.scopeName();
          };
          if (v != null) {
            values.add(v);
          }
        }
      }
      sql.append("DROP TYPE IF EXISTS floor_").append(column).append("; CREATE TYPE floor_").append(column)
          .append(" AS ENUM (").append(String.join(", ", values.stream().map(v -> "'" + v.replace("'", "''") + "'")
              .toList())).append("); ");
    }
    return sql.toString();
  }

  private FloorEnums() {
  }
}
