package io.memtrace.collector.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBStruct;

/** Turns what the DuckDB driver returns into the plain values of a {@link ResultTable}. */
final class ResultValues {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  private ResultValues() {
  }

  static Object plain(Object value) throws SQLException {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
        || value instanceof Double || value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float) {
      return ((Float) value).doubleValue();
    }
    if (value instanceof BigInteger) {
      BigInteger big = (BigInteger) value;
      return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }
    if (value instanceof Timestamp) {
      // the driver builds the Timestamp from the stored wall time; toLocalDateTime gives it back unshifted
      return TIMESTAMP.format(((Timestamp) value).toLocalDateTime());
    }
    if (value instanceof LocalDateTime) {
      return TIMESTAMP.format((LocalDateTime) value);
    }
    if (value instanceof OffsetDateTime) {
      return value.toString();
    }
    if (value instanceof DuckDBStruct) {
      return plainMap(((DuckDBStruct) value).getMap());
    }
    if (value instanceof Struct) {
      List<Object> fields = new ArrayList<>();
      for (Object field : ((Struct) value).getAttributes()) {
        fields.add(plain(field));
      }
      return fields;
    }
    if (value instanceof Array) {
      List<Object> list = new ArrayList<>();
      for (Object item : (Object[]) ((Array) value).getArray()) {
        list.add(plain(item));
      }
      return list;
    }
    if (value instanceof Map) {
      return plainMap((Map<?, ?>) value);
    }
    if (value instanceof byte[]) {
      return "\\x" + HexFormat.of().formatHex((byte[]) value);
    }
    if (value.getClass().getName().equals("org.duckdb.JsonNode")) {
      try {
        return JSON.readValue(value.toString(), Object.class);
      } catch (java.io.IOException e) {
        return value.toString();
      }
    }
    return value.toString();
  }

  private static Map<String, Object> plainMap(Map<?, ?> map) throws SQLException {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      out.put(String.valueOf(e.getKey()), plain(e.getValue()));
    }
    return out;
  }
}
