package io.memtrace.collector.redis;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The JSON shape of each value type, both ways. Reading checks the shape and names what is wrong. */
final class SnapshotJson {

  private SnapshotJson() {
  }

  @SuppressWarnings("unchecked")
  static void writeValue(JsonGenerator out, String type, Object value) throws IOException {
    switch (type) {
      case "string":
        // base64 written straight from the bytes: a 512 MiB value never becomes a 683 MB String
        out.writeBinary((byte[]) value);
        break;
      case "list":
      case "set":
        out.writeStartArray();
        for (byte[] item : (List<byte[]>) value) {
          out.writeBinary(item);
        }
        out.writeEndArray();
        break;
      case "hash":
        writePairs(out, (List<byte[][]>) value);
        break;
      case "zset":
        out.writeStartArray();
        for (SnapshotEntry.Scored s : (List<SnapshotEntry.Scored>) value) {
          out.writeStartArray();
          out.writeBinary(s.member());
          if (Double.isInfinite(s.score())) {
            out.writeString(s.score() > 0 ? "+inf" : "-inf");
          } else {
            out.writeNumber(s.score());
          }
          out.writeEndArray();
        }
        out.writeEndArray();
        break;
      case "stream":
        SnapshotEntry.StreamValue stream = (SnapshotEntry.StreamValue) value;
        out.writeStartObject();
        out.writeArrayFieldStart("entries");
        for (SnapshotEntry.StreamEntry e : stream.entries()) {
          out.writeStartObject();
          out.writeStringField("id", e.id());
          out.writeFieldName("fields");
          writePairs(out, e.fields());
          out.writeEndObject();
        }
        out.writeEndArray();
        out.writeStringField("last_id", stream.lastId());
        out.writeArrayFieldStart("groups");
        for (SnapshotEntry.Group g : stream.groups()) {
          out.writeStartObject();
          out.writeFieldName("name");
          out.writeBinary(g.name());
          out.writeStringField("last_delivered_id", g.lastDeliveredId());
          out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
        break;
      default:
        throw new IllegalArgumentException(type);
    }
  }

  private static void writePairs(JsonGenerator out, List<byte[][]> pairs) throws IOException {
    out.writeStartArray();
    for (byte[][] pair : pairs) {
      out.writeStartArray();
      out.writeBinary(pair[0]);
      out.writeBinary(pair[1]);
      out.writeEndArray();
    }
    out.writeEndArray();
  }

  static Object readValue(JsonNode value, String type, String path) throws BadSnapshot {
    switch (type) {
      case "string": return bytes(value, path);
      case "list":
      case "set": return byteList(value, path);
      case "hash": return pairs(value, path);
      case "zset":
        List<SnapshotEntry.Scored> scored = new ArrayList<>();
        for (int i = 0; i < array(value, path).size(); i++) {
          JsonNode item = value.get(i);
          String at = path + "[" + i + "]";
          if (!item.isArray() || item.size() != 2) {
            throw new BadSnapshot(at + ": expected [member, score]");
          }
          scored.add(new SnapshotEntry.Scored(bytes(item.get(0), at + "[0]"), score(item.get(1), at + "[1]")));
        }
        return scored;
      case "stream": return stream(value, path);
      default: throw new BadSnapshot(path + ": unknown type '" + type + "'");
    }
  }

  private static SnapshotEntry.StreamValue stream(JsonNode value, String path) throws BadSnapshot {
    if (!value.isObject()) {
      throw new BadSnapshot(path + ": expected an object with entries, last_id and groups");
    }
    List<SnapshotEntry.StreamEntry> entries = new ArrayList<>();
    JsonNode list = array(value.path("entries"), path + ".entries");
    BigInteger[] previous = {BigInteger.ZERO, BigInteger.ZERO};
    for (int i = 0; i < list.size(); i++) {
      String at = path + ".entries[" + i + "]";
      String id = streamId(list.get(i).path("id"), at + ".id");
      // XADD takes only ids above the last one, and never 0-0
      if (RedisLimits.compareIds(RedisLimits.streamId(id), previous) <= 0) {
        throw new BadSnapshot(at + ".id: " + id + (i == 0 ? " is 0-0, which Redis does not accept"
            : " is not above the id before it (" + list.get(i - 1).path("id").asText() + ")"));
      }
      previous = RedisLimits.streamId(id);
      entries.add(new SnapshotEntry.StreamEntry(id, pairs(list.get(i).path("fields"), at + ".fields")));
    }
    String lastId = value.path("last_id").isNull() || value.path("last_id").isMissingNode() ? null
        : streamId(value.path("last_id"), path + ".last_id");
    if (lastId != null && RedisLimits.compareIds(RedisLimits.streamId(lastId), previous) < 0) {
      throw new BadSnapshot(path + ".last_id: " + lastId + " is below the last entry's id; XSETID refuses it");
    }
    List<SnapshotEntry.Group> groups = new ArrayList<>();
    JsonNode groupList = value.has("groups") ? array(value.get("groups"), path + ".groups") : null;
    for (int i = 0; groupList != null && i < groupList.size(); i++) {
      String at = path + ".groups[" + i + "]";
      groups.add(new SnapshotEntry.Group(bytes(groupList.get(i).path("name"), at + ".name"),
          streamId(groupList.get(i).path("last_delivered_id"), at + ".last_delivered_id")));
    }
    return new SnapshotEntry.StreamValue(entries, lastId, groups);
  }

  private static String streamId(JsonNode node, String path) throws BadSnapshot {
    if (!node.isTextual() || RedisLimits.streamId(node.textValue()) == null) {
      throw new BadSnapshot(path + ": expected a stream id like 1700000000000-0 (two unsigned 64-bit numbers)");
    }
    return node.textValue();
  }

  private static List<byte[][]> pairs(JsonNode value, String path) throws BadSnapshot {
    List<byte[][]> pairs = new ArrayList<>();
    for (int i = 0; i < array(value, path).size(); i++) {
      JsonNode pair = value.get(i);
      String at = path + "[" + i + "]";
      if (!pair.isArray() || pair.size() != 2) {
        throw new BadSnapshot(at + ": expected [field, value]");
      }
      pairs.add(new byte[][] {bytes(pair.get(0), at + "[0]"), bytes(pair.get(1), at + "[1]")});
    }
    return pairs;
  }

  private static List<byte[]> byteList(JsonNode value, String path) throws BadSnapshot {
    List<byte[]> items = new ArrayList<>();
    for (int i = 0; i < array(value, path).size(); i++) {
      items.add(bytes(value.get(i), path + "[" + i + "]"));
    }
    return items;
  }

  private static JsonNode array(JsonNode value, String path) throws BadSnapshot {
    if (!value.isArray()) {
      throw new BadSnapshot(path + ": expected an array");
    }
    return value;
  }

  static byte[] bytes(JsonNode node, String path) throws BadSnapshot {
    if (!node.isTextual()) {
      throw new BadSnapshot(path + ": expected a base64 string");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(node.textValue());
    } catch (IllegalArgumentException e) {
      throw new BadSnapshot(path + ": not valid base64");
    }
    if (bytes.length > RedisLimits.MAX_BULK) {
      throw new BadSnapshot(path + ": " + bytes.length + " bytes, more than the 512 MiB Redis stores in one value");
    }
    return bytes;
  }

  private static double score(JsonNode node, String path) throws BadSnapshot {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual() && (node.textValue().equals("+inf") || node.textValue().equals("-inf"))) {
      return node.textValue().startsWith("+") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
    throw new BadSnapshot(path + ": expected a number (or \"+inf\"/\"-inf\")");
  }

  /** A snapshot that does not have the shape it must. */
  static final class BadSnapshot extends Exception {
    private static final long serialVersionUID = 1L;

    BadSnapshot(String message) {
      super(message);
    }
  }
}
