package io.memtrace.collector.redis;

import io.memtrace.collector.CollectorException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

/**
 * Writes checked snapshot entries back. Existing keys are refused, all of them named, before the
 * first write unless {@code replace} is set; then each key is written in its own MULTI/EXEC so it
 * appears whole, with its TTL, or not at all.
 */
public final class SnapshotRestorer {

  private static final int CHUNK = 1000;

  private final Jedis jedis;

  public SnapshotRestorer(Jedis jedis) {
    this.jedis = jedis;
  }

  public long restore(List<SnapshotEntry> entries, boolean replace) {
    if (!replace) {
      List<String> existing = existing(entries);
      if (!existing.isEmpty()) {
        throw new CollectorException("refusing to overwrite " + existing.size() + " existing key"
            + (existing.size() == 1 ? "" : "s") + " (" + existing.stream().limit(5).collect(Collectors.joining(", "))
            + (existing.size() > 5 ? ", ..." : "") + "); pass --replace to overwrite them. Nothing was written.");
      }
    }
    Progress progress = new Progress("restore");
    for (SnapshotEntry entry : entries) {
      if (entry.type().equals("stream")) {
        jedis.del(entry.key());
        StreamCodec.restore(jedis, entry.key(), (SnapshotEntry.StreamValue) entry.value());
        if (entry.ttlMillis() != null) {
          jedis.pexpire(entry.key(), entry.ttlMillis());
        }
      } else {
        Transaction tx = jedis.multi();
        tx.del(entry.key());
        write(tx, entry);
        if (entry.ttlMillis() != null) {
          tx.pexpire(entry.key(), entry.ttlMillis());
        }
        tx.exec();
      }
      progress.step();
    }
    return progress.count();
  }

  private List<String> existing(List<SnapshotEntry> entries) {
    List<String> existing = new ArrayList<>();
    for (int from = 0; from < entries.size(); from += CHUNK) {
      List<SnapshotEntry> chunk = entries.subList(from, Math.min(entries.size(), from + CHUNK));
      Pipeline pipeline = jedis.pipelined();
      List<Response<Boolean>> answers = new ArrayList<>();
      chunk.forEach(e -> answers.add(pipeline.exists(e.key())));
      pipeline.sync();
      for (int i = 0; i < chunk.size(); i++) {
        if (answers.get(i).get()) {
          existing.add(chunk.get(i).keyText());
        }
      }
    }
    return existing;
  }

  @SuppressWarnings("unchecked")
  private static void write(Transaction tx, SnapshotEntry entry) {
    byte[] key = entry.key();
    switch (entry.type()) {
      case "string":
        tx.set(key, (byte[]) entry.value());
        break;
      case "list":
        for (List<byte[]> chunk : chunks((List<byte[]>) entry.value())) {
          tx.rpush(key, chunk.toArray(new byte[0][]));
        }
        break;
      case "set":
        for (List<byte[]> chunk : chunks((List<byte[]>) entry.value())) {
          tx.sadd(key, chunk.toArray(new byte[0][]));
        }
        break;
      case "hash":
        for (List<byte[][]> chunk : chunks((List<byte[][]>) entry.value())) {
          Map<byte[], byte[]> fields = new LinkedHashMap<>();
          chunk.forEach(pair -> fields.put(pair[0], pair[1]));
          tx.hset(key, fields);
        }
        break;
      case "zset":
        for (List<SnapshotEntry.Scored> chunk : chunks((List<SnapshotEntry.Scored>) entry.value())) {
          Map<byte[], Double> members = new LinkedHashMap<>();
          chunk.forEach(s -> members.put(s.member(), s.score()));
          tx.zadd(key, members);
        }
        break;
      default:
        throw new IllegalArgumentException(entry.type());
    }
  }

  private static <T> List<List<T>> chunks(List<T> items) {
    List<List<T>> chunks = new ArrayList<>();
    for (int from = 0; from < items.size(); from += CHUNK) {
      chunks.add(items.subList(from, Math.min(items.size(), from + CHUNK)));
    }
    return chunks;
  }
}
