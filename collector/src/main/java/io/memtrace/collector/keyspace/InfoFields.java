package io.memtrace.collector.keyspace;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** The {@code field:value} lines of an {@code INFO} reply. */
final class InfoFields {

  private final Map<String, String> fields = new HashMap<>();

  InfoFields(String reply) {
    for (String line : reply.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
  }

  String text(String field) {
    return fields.get(field);
  }

  Long number(String field) {
    String v = fields.get(field);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code INFO keyspace}: the keys of each database that has any, by index. */
  Map<Integer, Long> databases() {
    Map<Integer, Long> dbs = new TreeMap<>();
    fields.forEach((name, value) -> {
      if (name.matches("db[0-9]+")) {
        for (String part : value.split(",")) {
          if (part.startsWith("keys=")) {
            dbs.put(Integer.parseInt(name.substring(2)), Long.parseLong(part.substring(5)));
          }
        }
      }
    });
    return dbs;
  }

  /** Whether {@code redis_version} is at least {@code major.minor}. */
  boolean versionAtLeast(int major, int minor) {
    String v = fields.get("redis_version");
    if (v == null) {
      return false;
    }
    String[] parts = v.split("\\.");
    try {
      int ma = Integer.parseInt(parts[0]);
      int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return ma > major || ma == major && mi >= minor;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
