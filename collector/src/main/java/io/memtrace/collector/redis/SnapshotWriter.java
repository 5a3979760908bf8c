package io.memtrace.collector.redis;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * Writes every key of the selected database to a JSON snapshot, walking the key space with SCAN
 * (never KEYS, which blocks the server). Keys and values are base64, so any bytes survive; a
 * readable {@code key_text} is added for people. Keys are read one by one, so on a busy server the
 * snapshot is not one instant: take it from a quiet instance or a replica when that matters.
 */
public final class SnapshotWriter {

  public static final String FORMAT = "memtrace-redis-snapshot";
  public static final int VERSION = 1;

  private final Jedis jedis;

  public SnapshotWriter(Jedis jedis) {
    this.jedis = jedis;
  }

  /** What one snapshot took: its keys, and those it skipped (by name, the first {@link #NAMED_SKIPS}). */
  public record Taken(long keys, long skipped, List<String> skippedKeys, boolean complete) {
  }

  /** Skipped keys named in the file; beyond these only their number. */
  public static final int NAMED_SKIPS = 1000;

  /** Writes the snapshot to {@code target}, closes it, and returns how many keys it holds. */
  public long write(OutputStream target, String source) throws IOException {
    try {
      return write(target, source, null, List.of(), SnapshotScope.ALL).keys();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * Writes the keys {@code scope} wants to {@code target} and closes it. The file names the database and the
   * namespace globs it covers, and, after the keys, the keys it skipped (over {@link SnapshotScope#maxKeys} or
   * {@link SnapshotScope#maxElements}), so that whoever reads it knows what it does not hold.
   */
  public Taken write(OutputStream target, String source, Integer db, List<String> namespaces, SnapshotScope scope)
      throws IOException, InterruptedException {
    Progress progress = new Progress("snapshot");
    long skipped = 0;
    List<String> skippedKeys = new ArrayList<>();
    try (JsonGenerator out = new JsonFactory().createGenerator(target, JsonEncoding.UTF8)) {
      out.useDefaultPrettyPrinter();
      out.writeStartObject();
      out.writeStringField("format", FORMAT);
      out.writeNumberField("version", VERSION);
      out.writeStringField("created", Instant.now().toString());
      out.writeStringField("source", source);
      if (db != null) {
        out.writeNumberField("db", db);
      }
      if (!namespaces.isEmpty()) {
        out.writeArrayFieldStart("namespaces");
        for (String glob : namespaces) {
          out.writeString(glob);
        }
        out.writeEndArray();
      }
      out.writeArrayFieldStart("keys");
      byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
      ScanParams params = new ScanParams().count(500);
      do {
        scope.pace(1);
        ScanResult<byte[]> page = jedis.scan(cursor, params);
        for (byte[] key : page.getResult()) {
          if (!scope.wanted(key)) {
            continue;
          }
          String why = progress.count() >= scope.maxKeys() ? "over the " + scope.maxKeys() + "-key ceiling"
              : writeKey(out, key, scope);
          if (why == null) {
            progress.step();
          } else if (!why.isEmpty()) {
            skipped++;
            if (skippedKeys.size() < NAMED_SKIPS) {
              skippedKeys.add(SnapshotEntry.keyText(key));
            }
          }
        }
        cursor = page.getCursorAsBytes();
      } while (!ScanParams.SCAN_POINTER_START.equals(new String(cursor, StandardCharsets.US_ASCII)));
      out.writeEndArray();
      out.writeNumberField("count", progress.count());
      out.writeStringField("finished", Instant.now().toString());
      out.writeNumberField("skipped", skipped);
      out.writeArrayFieldStart("skipped_keys");
      for (String key : skippedKeys) {
        out.writeString(key);
      }
      out.writeEndArray();
      out.writeEndObject();
    }
    return new Taken(progress.count(), skipped, List.copyOf(skippedKeys), skipped == 0);
  }

  /**
   * Null when written; empty when the key vanished (expired or deleted) between SCAN and reading it; else why it was
   * skipped.
   */
  private String writeKey(JsonGenerator out, byte[] key, SnapshotScope scope) throws IOException, InterruptedException {
    scope.pace(2);
    String type = jedis.type(key);
    long pttl = jedis.pttl(key);
    if (scope.maxElements() != Long.MAX_VALUE && !type.equals("string") && !type.equals("none")) {
      scope.pace(1);
      long elements = elements(key, type);
      if (elements > scope.maxElements()) {
        return type + " of " + elements + " elements, over the ceiling of " + scope.maxElements();
      }
    }
    scope.pace(1);
    Object value = read(key, type);
    if (value == null || pttl == -2) {
      return "";
    }
    out.writeStartObject();
    out.writeFieldName("key");
    out.writeBinary(key);
    String text = SnapshotEntry.text(key);
    if (text != null) {
      out.writeStringField("key_text", text);
    }
    out.writeStringField("type", type);
    if (pttl > 0) {
      out.writeNumberField("ttl_ms", pttl);
    } else {
      out.writeNullField("ttl_ms");
    }
    out.writeFieldName("value");
    SnapshotJson.writeValue(out, type, value);
    out.writeEndObject();
    return null;
  }

  /** The element count of a collection, O(1) in Redis. */
  private long elements(byte[] key, String type) {
    return switch (type) {
      case "list" -> jedis.llen(key);
      case "set" -> jedis.scard(key);
      case "hash" -> jedis.hlen(key);
      case "zset" -> jedis.zcard(key);
      case "stream" -> jedis.xlen(key);
      default -> 0;
    };
  }

  private Object read(byte[] key, String type) {
    switch (type) {
      case "string": return jedis.get(key);
      case "list": return nullIfEmpty(jedis.lrange(key, 0, -1));
      case "set": return nullIfEmpty(List.copyOf(jedis.smembers(key)));
      case "hash":
        Map<byte[], byte[]> hash = jedis.hgetAll(key);
        return hash.isEmpty() ? null : hash.entrySet().stream().map(e -> new byte[][] {e.getKey(), e.getValue()}).toList();
      case "zset":
        List<Tuple> tuples = jedis.zrangeWithScores(key, 0, -1);
        return nullIfEmpty(tuples.stream().map(t -> new SnapshotEntry.Scored(t.getBinaryElement(), t.getScore())).toList());
      case "stream": return StreamCodec.read(jedis, key);
      case "none": return null;
      default:
        throw new io.memtrace.collector.CollectorException("key " + SnapshotEntry.text(key) + " has type '" + type
            + "', which snapshots do not cover (" + SnapshotEntry.TYPES + ")");
    }
  }

  private static <T> List<T> nullIfEmpty(List<T> list) {
    return list.isEmpty() ? null : list;
  }
}
