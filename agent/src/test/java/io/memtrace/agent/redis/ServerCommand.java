package io.memtrace.agent.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One entry of a live server's {@code COMMAND} reply: name, arity, flags and the legacy
 * first/last/step key positions every Redis gives; from Redis 7 on, also key specs (in the table's
 * text form) and subcommands.
 */
final class ServerCommand {

  final String name;
  final int arity;
  final Set<String> flags = new HashSet<>();
  final int firstKey;
  final int lastKey;
  final int step;
  /** Redis 7+: the key specs as {@code index=1 range=0,1,0}, flags left out; else {@code null}. */
  final List<String> keySpecs;
  final List<ServerCommand> subcommands = new ArrayList<>();

  ServerCommand(List<?> entry) {
    name = text(entry.get(0)).toUpperCase(Locale.ROOT);
    arity = ((Number) entry.get(1)).intValue();
    for (Object flag : (List<?>) entry.get(2)) {
      flags.add(text(flag).toLowerCase(Locale.ROOT));
    }
    firstKey = ((Number) entry.get(3)).intValue();
    lastKey = ((Number) entry.get(4)).intValue();
    step = ((Number) entry.get(5)).intValue();
    keySpecs = entry.size() > 8 ? keySpecs((List<?>) entry.get(8)) : null;
    if (entry.size() > 9) {
      for (Object sub : (List<?>) entry.get(9)) {
        subcommands.add(new ServerCommand((List<?>) sub));
      }
    }
  }

  boolean movableKeys() {
    return flags.contains("movablekeys");
  }

  /** The command's words as sent: {@code OBJECT ENCODING} for {@code OBJECT|ENCODING}. */
  List<String> words() {
    return List.of(name.split("\\|"));
  }

  /** Positions the legacy first/last/step name as keys in an argument list of {@code argc}. */
  Set<Integer> legacyKeys(int argc) {
    Set<Integer> keys = new HashSet<>();
    if (firstKey > 0) {
      int last = lastKey < 0 ? argc + lastKey : lastKey;
      for (int i = firstKey; i <= last && i < argc; i += Math.max(1, step)) {
        keys.add(i);
      }
    }
    return keys;
  }

  private static List<String> keySpecs(List<?> specs) {
    List<String> out = new ArrayList<>();
    for (Object spec : specs) {
      List<?> fields = (List<?>) spec;
      String begin = null;
      String find = null;
      boolean notKey = false;
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        String field = text(fields.get(i));
        Object value = fields.get(i + 1);
        if (field.equals("flags")) {
          for (Object flag : (List<?>) value) {
            notKey |= text(flag).equalsIgnoreCase("not_key");
          }
        } else if (field.equals("begin_search")) {
          begin = part(value);
        } else if (field.equals("find_keys")) {
          find = part(value);
        }
      }
      if (!notKey) {
        out.add(begin == null || find == null ? "unknown" : begin + " " + find);
      }
    }
    return out;
  }

  /** {@code [type, index, spec, [index, 1]]} as {@code index=1}, and likewise for the others. */
  private static String part(Object value) {
    List<?> fields = (List<?>) value;
    String type = null;
    List<?> spec = List.of();
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if (text(fields.get(i)).equals("type")) {
        type = text(fields.get(i + 1));
      } else if (text(fields.get(i)).equals("spec")) {
        spec = (List<?>) fields.get(i + 1);
      }
    }
    if (type == null || type.equals("unknown")) {
      return null;
    }
    java.util.Map<String, String> values = new java.util.HashMap<>();
    for (int i = 0; i + 1 < spec.size(); i += 2) {
      values.put(text(spec.get(i)), text(spec.get(i + 1)));
    }
    switch (type) {
      case "index":
        return "index=" + values.get("index");
      case "keyword":
        return "keyword=" + values.get("keyword").toUpperCase(Locale.ROOT) + "," + values.get("startfrom");
      case "range":
        return "range=" + values.get("lastkey") + "," + values.get("keystep") + "," + values.get("limit");
      case "keynum":
        return "keynum=" + values.get("keynumidx") + "," + values.get("firstkey") + "," + values.get("keystep");
      default:
        return null;
    }
  }

  static String text(Object value) {
    return value instanceof byte[] ? new String((byte[]) value, StandardCharsets.UTF_8) : String.valueOf(value);
  }
}
