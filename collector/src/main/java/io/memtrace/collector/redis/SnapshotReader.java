package io.memtrace.collector.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.memtrace.collector.CollectorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and checks a whole snapshot before anything is written: a restore either has every key in
 * hand or touches nothing.
 */
public final class SnapshotReader {

  /** Jackson refuses strings over 20 million characters by default: a 15 MiB value in base64. */
  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(RedisLimits.MAX_BASE64_CHARS).build())
          .build())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private SnapshotReader() {
  }

  public static List<SnapshotEntry> read(Path file) {
    return readFile(file).entries();
  }

  /** The whole file, its keys and what it says of itself, checked as {@link #read} checks it. */
  public static SnapshotFile readFile(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw corrupt(file, "not valid JSON (" + e.getOriginalMessage() + "); is it truncated?");
    } catch (IOException e) {
      throw new CollectorException("cannot read snapshot " + file + ": " + e.getMessage(), e);
    }
    try {
      List<SnapshotEntry> entries = entries(root);
      List<String> namespaces = new ArrayList<>();
      root.path("namespaces").forEach(n -> namespaces.add(n.asText()));
      Set<String> skippedKeys = new HashSet<>();
      root.path("skipped_keys").forEach(n -> skippedKeys.add(n.asText()));
      return new SnapshotFile(time(root, "created"), time(root, "finished"), root.path("source").asText(null),
          root.path("db").isIntegralNumber() ? root.get("db").asInt() : null, namespaces,
          root.path("skipped").asLong(0), skippedKeys, entries);
    } catch (SnapshotJson.BadSnapshot e) {
      throw corrupt(file, e.getMessage());
    }
  }

  private static List<SnapshotEntry> entries(JsonNode root) throws SnapshotJson.BadSnapshot {
    if (root == null || !root.isObject() || !SnapshotWriter.FORMAT.equals(root.path("format").asText())) {
      throw new SnapshotJson.BadSnapshot("not a memtrace Redis snapshot (no \"format\": \"" + SnapshotWriter.FORMAT + "\")");
    }
    if (root.path("version").asInt() != SnapshotWriter.VERSION) {
      throw new SnapshotJson.BadSnapshot("version " + root.path("version") + " is not supported (expected "
          + SnapshotWriter.VERSION + ")");
    }
    JsonNode keys = root.path("keys");
    if (!keys.isArray()) {
      throw new SnapshotJson.BadSnapshot("\"keys\" must be an array");
    }
    if (root.has("count") && root.get("count").asLong() != keys.size()) {
      throw new SnapshotJson.BadSnapshot("\"count\" says " + root.get("count") + " keys but the file has " + keys.size());
    }
    List<SnapshotEntry> entries = new ArrayList<>(keys.size());
    Set<ByteBuffer> seen = new HashSet<>();
    for (int i = 0; i < keys.size(); i++) {
      JsonNode k = keys.get(i);
      String at = "keys[" + i + "]";
      byte[] key = SnapshotJson.bytes(k.path("key"), at + ".key");
      if (!seen.add(ByteBuffer.wrap(key))) {
        throw new SnapshotJson.BadSnapshot(at + ": key " + SnapshotEntry.text(key) + " appears twice");
      }
      String type = k.path("type").asText();
      if (!SnapshotEntry.TYPES.contains(type)) {
        throw new SnapshotJson.BadSnapshot(at + ".type: '" + type + "' is not one of " + SnapshotEntry.TYPES);
      }
      JsonNode ttl = k.path("ttl_ms");
      if (!ttl.isMissingNode() && !ttl.isNull() && !(ttl.isIntegralNumber() && ttl.canConvertToLong()
          && ttl.asLong() > 0 && ttl.asLong() <= RedisLimits.MAX_TTL_MS)) {
        throw new SnapshotJson.BadSnapshot(at + ".ttl_ms: expected null (no TTL) or milliseconds from 1 to 2^62 "
            + "(" + RedisLimits.MAX_TTL_MS + "); Redis cannot set " + ttl
            + ", and dropping the TTL would keep the key for ever");
      }
      Long ttlMillis = ttl.isIntegralNumber() ? ttl.asLong() : null;
      entries.add(new SnapshotEntry(key, type, ttlMillis, SnapshotJson.readValue(k.path("value"), type, at + ".value")));
    }
    return entries;
  }

  private static Instant time(JsonNode root, String field) throws SnapshotJson.BadSnapshot {
    if (!root.path(field).isTextual()) {
      return null;
    }
    try {
      return Instant.parse(root.get(field).asText());
    } catch (java.time.format.DateTimeParseException e) {
      throw new SnapshotJson.BadSnapshot("\"" + field + "\": not a time (" + root.get(field).asText() + ")");
    }
  }

  private static CollectorException corrupt(Path file, String why) {
    return new CollectorException("snapshot " + file + " is corrupt: " + why + "; Redis was not touched");
  }
}
