package io.memtrace.collector.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of a {@link ResultTable} between {@code serve} and the CLI; keeps number types. Beside the table,
 * {@code pending_spans}: spans the server had acknowledged and not yet loaded, which the result may lack; only
 * when there are any.
 */
public final class ResultJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** The field of an answer, {@code /api/query}'s or {@code /api/report}'s, that counts the spans it may lack. */
  public static final String PENDING_SPANS = "pending_spans";

  private ResultJson() {
  }

  public static byte[] write(ResultTable table, long pendingSpans) throws IOException {
    ObjectNode root = tree(table);
    if (pendingSpans > 0) {
      root.put(PENDING_SPANS, pendingSpans);
    }
    return MAPPER.writeValueAsBytes(root);
  }

  /** The table's wire form as a JSON tree, which {@link #read(JsonNode)} reads back, without {@code pending_spans}. */
  public static ObjectNode tree(ResultTable table) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode columns = root.putArray("columns");
    for (ResultTable.Column c : table.columns()) {
      columns.addObject().put("name", c.name()).put("type", c.type());
    }
    root.set("rows", MAPPER.valueToTree(table.rows()));
    root.put("truncated", table.truncated());
    if (table.truncated()) {
      root.put("truncation", table.truncation());
    }
    return root;
  }

  public static ResultTable read(byte[] json) throws IOException {
    return read(MAPPER.readTree(json));
  }

  public static ResultTable read(JsonNode root) throws IOException {
    List<ResultTable.Column> columns = new ArrayList<>();
    for (JsonNode c : root.path("columns")) {
      columns.add(new ResultTable.Column(c.path("name").asText(), c.path("type").asText()));
    }
    List<List<Object>> rows = new ArrayList<>();
    for (JsonNode r : root.path("rows")) {
      List<Object> row = new ArrayList<>(columns.size());
      for (JsonNode v : r) {
        row.add(value(v));
      }
      rows.add(row);
    }
    boolean truncated = root.path("truncated").asBoolean();
    return new ResultTable(columns, rows, truncated ? root.path("truncation").asText("some of the rows") : null);
  }

  /** The {@link #PENDING_SPANS} of an answer; 0 when it has none. */
  public static long pendingSpans(JsonNode root) {
    return root.path(PENDING_SPANS).asLong(0);
  }

  private static Object value(JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue();
    }
    if (v.isBigDecimal()) {
      return v.decimalValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    return MAPPER.convertValue(v, Object.class);
  }
}
