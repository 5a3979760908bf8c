package io.memtrace.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.memtrace.collector.store.SpanRow;

/**
 * Where a captured value was written, read from the span that carries its event: the Redis and database of a Redis
 * span (as the spans' {@code server.address}, {@code server.port} and {@code db.namespace} name them), the key's
 * namespace and the operation. A memory-manager span has no Redis: {@code ""} and database 0.
 */
final class SpanOrigin {

  private SpanOrigin() {
  }

  static String redis(SpanRow row) {
    if (!StatementKeys.redis(row.attributes()) || !(row.attribute("server.address") instanceof String host)) {
      return "";
    }
    Object port = row.attribute("server.port");
    return host + ":" + (port == null ? "" : port);
  }

  static int database(SpanRow row) {
    if (!StatementKeys.redis(row.attributes())) {
      return 0;
    }
    Object db = row.attribute("db.namespace");
    try {
      return db == null ? 0 : Integer.parseInt(String.valueOf(db));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The event's own {@code memory.namespace} when it has one; the span's when the span is about the same key; else
   * the collector's namespace rule applied to the key (an MSET's keys may lie in several namespaces).
   */
  static String namespace(SpanRow row, JsonNode event, String key) {
    String own = ValueEvents.text(event, "memory.namespace");
    if (own != null) {
      return own;
    }
    if (key.equals(row.attribute("memory.key")) && row.attribute("memory.namespace") instanceof String ns) {
      return ns;
    }
    String derived = StatementKeys.namespaceOf(key);
    return derived == null ? "" : derived;
  }

  /** The memory operation of a memory-manager span, else the Redis command, else the span's name. */
  static String operation(SpanRow row) {
    if (row.attribute("memory.operation") instanceof String op) {
      return op;
    }
    if (row.attribute("db.operation.name") instanceof String op) {
      return op;
    }
    return row.name();
  }
}
