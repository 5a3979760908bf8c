package io.memtrace.collector.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON Schemas of the tools' arguments, built as plain maps, which the SDK sends as they are. */
final class Schema {

  private Schema() {
  }

  /** An object of these properties (name, schema, in order), {@code required} among them, no others. */
  static Map<String, Object> object(Map<String, Object> properties, String... required) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    if (required.length > 0) {
      schema.put("required", List.of(required));
    }
    schema.put("additionalProperties", false);
    return schema;
  }

  /** Properties in the order given: name, schema, name, schema, ... */
  static Map<String, Object> properties(Object... nameAndSchema) {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (int i = 0; i < nameAndSchema.length; i += 2) {
      properties.put((String) nameAndSchema[i], nameAndSchema[i + 1]);
    }
    return properties;
  }

  static Map<String, Object> string(String description) {
    return Map.of("type", "string", "description", description);
  }

  static Map<String, Object> flag(String description) {
    return Map.of("type", "boolean", "description", description);
  }

  /** A count from 1 to {@code max}, {@code fallback} when not given. */
  static Map<String, Object> limit(String description, int fallback, int max) {
    return Map.of("type", "integer", "minimum", 1, "maximum", max, "default", fallback,
        "description", description + " (default " + fallback + ", at most " + max + ")");
  }

  /** One of {@code values}. */
  static Map<String, Object> choice(String description, String... values) {
    return Map.of("type", "string", "enum", List.of(values), "description", description);
  }
}
