package io.memtrace.collector.redis;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
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

  /** Writes the snapshot to {@code target}, closes it, and returns how many keys it holds. */
  public long write(OutputStream target, String source) throws IOException {
    Progress progress = new Progress("snapshot");
    try (JsonGenerator out = new JsonFactory().createGenerator(target, JsonEncoding.UTF8)) {
      out.useDefaultPrettyPrinter();
      out.writeStartObject();
      out.writeStringField("format", FORMAT);
      out.writeNumberField("version", VERSION);
      out.writeStringField("created", Instant.now().toString());
      out.writeStringField("source", source);
      out.writeArrayFieldStart("keys");
      byte[] cursor = ScanParams.SCAN_POINTER_START_BINARY;
      ScanParams params = new ScanParams().count(500);
      do {
        ScanResult<byte[]> page = jedis.scan(cursor, params);
        for (byte[] key : page.getResult()) {
          if (writeKey(out, key)) {
            progress.step();
          }
        }
        cursor = page.getCursorAsBytes();
      } while (!ScanParams.SCAN_POINTER_START.equals(new String(cursor, java.nio.charset.StandardCharsets.US_ASCII)));
      out.writeEndArray();
      out.writeNumberField("count", progress.count());
      out.writeEndObject();
    }
    return progress.count();
  }

  /** False when the key vanished (expired or deleted) between SCAN and reading it. */
  private boolean writeKey(JsonGenerator out, byte[] key) throws IOException {
    String type = jedis.type(key);
    long pttl = jedis.pttl(key);
    Object value = read(key, type);
    if (value == null || pttl == -2) {
      return false;
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
    return true;
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
