package io.memtrace.collector.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Writes one snapshot entry under a staging key of its own, not under its name: until the
 * {@link SnapshotRestorer} renames it into place, the key it will replace keeps its old value.
 * Large values go in several commands, each at most {@link #CHUNK_ITEMS} items and about
 * {@link #CHUNK_BYTES} bytes, so that no command outgrows Redis's query buffer.
 */
final class KeyStager {

  static final int CHUNK_ITEMS = 1000;
  static final long CHUNK_BYTES = 64L << 20;
  /** Staging keys expire on their own if the restore dies before it renames or removes them. */
  static final long STAGING_TTL_MS = 24L * 3600 * 1000;

  private final Jedis jedis;

  KeyStager(Jedis jedis) {
    this.jedis = jedis;
  }

  /** Writes {@code entry}'s value under {@code staging}; throws (a Jedis exception) on the first error. */
  void stage(byte[] staging, SnapshotEntry entry) {
    jedis.del(staging);
    if (entry.type().equals("stream")) {
      StreamCodec.restore(jedis, staging, (SnapshotEntry.StreamValue) entry.value());
      jedis.pexpire(staging, STAGING_TTL_MS);
      return;
    }
    Pipeline pipeline = jedis.pipelined();
    List<Response<?>> answers = new ArrayList<>();
    queue(pipeline, answers, staging, entry);
    pipeline.sync();
    answers.forEach(Response::get); // an error reply throws here
  }

  /**
   * Queues the commands that write {@code entry} (not a stream) under {@code staging} on {@code pipeline}, their
   * answers added to {@code answers}: many keys go in one round trip, and an error reply throws when its answer is read.
   */
  @SuppressWarnings("unchecked")
  static void queue(Pipeline pipeline, List<Response<?>> answers, byte[] staging, SnapshotEntry entry) {
    answers.add(pipeline.del(staging));
    switch (entry.type()) {
      case "string":
        answers.add(pipeline.set(staging, (byte[]) entry.value()));
        break;
      case "list":
        for (List<byte[]> chunk : chunks((List<byte[]>) entry.value(), b -> b.length)) {
          answers.add(pipeline.rpush(staging, chunk.toArray(new byte[0][])));
        }
        break;
      case "set":
        for (List<byte[]> chunk : chunks((List<byte[]>) entry.value(), b -> b.length)) {
          answers.add(pipeline.sadd(staging, chunk.toArray(new byte[0][])));
        }
        break;
      case "hash":
        for (List<byte[][]> chunk : chunks((List<byte[][]>) entry.value(), p -> p[0].length + p[1].length)) {
          Map<byte[], byte[]> fields = new LinkedHashMap<>();
          chunk.forEach(pair -> fields.put(pair[0], pair[1]));
          answers.add(pipeline.hset(staging, fields));
        }
        break;
      case "zset":
        for (List<SnapshotEntry.Scored> chunk : chunks((List<SnapshotEntry.Scored>) entry.value(),
            s -> s.member().length + 8)) {
          Map<byte[], Double> members = new LinkedHashMap<>();
          chunk.forEach(s -> members.put(s.member(), s.score()));
          answers.add(pipeline.zadd(staging, members));
        }
        break;
      default:
        throw new IllegalArgumentException(entry.type());
    }
    answers.add(pipeline.pexpire(staging, STAGING_TTL_MS));
  }

  private static <T> List<List<T>> chunks(List<T> items, ToLongFunction<T> size) {
    List<List<T>> chunks = new ArrayList<>();
    int from = 0;
    long bytes = 0;
    for (int i = 0; i < items.size(); i++) {
      bytes += size.applyAsLong(items.get(i));
      if (i + 1 - from == CHUNK_ITEMS || bytes >= CHUNK_BYTES || i == items.size() - 1) {
        chunks.add(items.subList(from, i + 1));
        from = i + 1;
        bytes = 0;
      }
    }
    return chunks;
  }
}
