package io.memtrace.collector.redis;

import io.memtrace.collector.Visible;
import io.memtrace.collector.CollectorException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Writes checked snapshot entries back, all or nothing. Existing keys are refused, all of them
 * named, before the first write unless {@code replace} is set. Then every key is first written
 * whole under a staging key of its own ({@link KeyStager}); a failure there removes the staging
 * keys and leaves the database as it was. Only when every key is staged does each one move into
 * place, with a script that renames it over its name and sets its TTL in one atomic step, so a
 * key is never seen half-written or without its TTL, and with {@code --replace} the old value
 * lasts until the new one replaces it.
 */
public final class SnapshotRestorer {

  private static final int PUBLISH_BATCH = 1000;
  /** Keys staged per round trip. */
  private static final int STAGE_BATCH = 200;

  /**
   * KEYS: staging key, target. ARGV: "1" to replace, the TTL in ms or "" for none. Returns 1 when
   * the key was moved into place, 0 when the target exists and may not be replaced.
   */
  private static final String PUBLISH = "if ARGV[1] ~= '1' and redis.call('EXISTS', KEYS[2]) == 1 then "
      + "redis.call('DEL', KEYS[1]) return 0 end "
      + "redis.call('RENAME', KEYS[1], KEYS[2]) "
      + "if ARGV[2] == '' then redis.call('PERSIST', KEYS[2]) else redis.call('PEXPIRE', KEYS[2], ARGV[2]) end "
      + "return 1";

  private final Jedis jedis;
  private final Supplier<Jedis> reconnect;

  /** @param reconnect a new connection to the same database, for cleaning up after Redis dropped this one */
  public SnapshotRestorer(Jedis jedis, Supplier<Jedis> reconnect) {
    this.jedis = jedis;
    this.reconnect = reconnect;
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
    String prefix = "memtrace:restore:" + UUID.randomUUID() + ":";
    List<byte[]> staged = new ArrayList<>(entries.size());
    Progress progress = new Progress("restore (staged)");
    KeyStager stager = new KeyStager(jedis);
    for (int from = 0; from < entries.size(); from += STAGE_BATCH) {
      int to = Math.min(entries.size(), from + STAGE_BATCH);
      List<SnapshotEntry> batch = entries.subList(from, to);
      for (int i = from; i < to; i++) {
        staged.add((prefix + i).getBytes(StandardCharsets.UTF_8));
      }
      // streams one by one; every other key of the batch in one pipeline, one round trip
      Pipeline pipeline = jedis.pipelined();
      KeyedAnswers answers = new KeyedAnswers(batch.size());
      int i = 0;
      try {
        // a write that breaks the connection (a value over proto-max-bulk-len) fails while this key is sent
        for (i = 0; i < batch.size(); i++) {
          if (!batch.get(i).type().equals("stream")) {
            KeyStager.queue(pipeline, answers.answers(), staged.get(from + i), batch.get(i));
          }
          answers.endKey(i);
        }
        try {
          pipeline.sync();
        } catch (JedisException e) {
          i = answers.firstFailed();
          if (answers.failure(i) instanceof JedisDataException refused) {
            throw refused; // Redis answered this key with an error before it closed: that key is named
          }
          throw e;
        }
        for (i = 0; i < batch.size(); i++) {
          answers.check(i);
          if (batch.get(i).type().equals("stream")) {
            stager.stage(staged.get(from + i), batch.get(i));
          }
          progress.step();
        }
      } catch (JedisConnectionException e) {
        // Redis closed the connection: which key made it do so cannot be told (the answers of the keys sent
        // before it may be lost with it), so name the batch and its largest element, the usual cause
        discard(staged);
        int largest = largest(batch);
        throw new CollectorException("restore stopped: the connection to Redis broke (" + e.getMessage() + ") while "
            + "keys " + (from + 1) + " to " + to + " were sent (" + batch.get(0).keyText() + " to "
            + batch.get(batch.size() - 1).keyText() + "); the largest value among them is key "
            + batch.get(largest).keyText() + "'s, with an element of " + batch.get(largest).largestElement()
            + " bytes (Redis drops a connection that sends more than its proto-max-bulk-len); no key was changed (the "
            + "keys written before were staged under temporary names and are removed)", e);
      } catch (JedisException e) {
        discard(staged);
        throw new CollectorException("restore stopped at key " + batch.get(i).keyText() + ": Redis answered "
            + e.getMessage() + "; no key was changed (the " + (from + i) + " keys written before it were staged under "
            + "temporary names and are removed)", e);
      }
    }
    return publish(entries, staged, replace);
  }

  /** The index of the batch's entry with the largest single element (a string's value, a member, a field). */
  private static int largest(List<SnapshotEntry> batch) {
    int best = 0;
    for (int i = 1; i < batch.size(); i++) {
      if (batch.get(i).largestElement() > batch.get(best).largestElement()) {
        best = i;
      }
    }
    return best;
  }

  /** Moves each staged key into place; returns how many were. */
  private long publish(List<SnapshotEntry> entries, List<byte[]> staged, boolean replace) {
    String sha = jedis.scriptLoad(PUBLISH);
    long placed = 0;
    List<String> appeared = new ArrayList<>();
    for (int from = 0; from < entries.size(); from += PUBLISH_BATCH) {
      int to = Math.min(entries.size(), from + PUBLISH_BATCH);
      Pipeline pipeline = jedis.pipelined();
      List<Response<Object>> answers = new ArrayList<>();
      for (int i = from; i < to; i++) {
        SnapshotEntry entry = entries.get(i);
        String ttl = entry.ttlMillis() == null ? "" : entry.ttlMillis().toString();
        answers.add(pipeline.evalsha(sha.getBytes(StandardCharsets.US_ASCII), 2, staged.get(i), entry.key(),
            (replace ? "1" : "0").getBytes(StandardCharsets.US_ASCII), ttl.getBytes(StandardCharsets.US_ASCII)));
      }
      pipeline.sync();
      String failure = null;
      for (int i = from; i < to; i++) {
        try {
          if (Long.valueOf(1).equals(answers.get(i - from).get())) {
            placed++;
          } else {
            appeared.add(entries.get(i).keyText());
          }
        } catch (JedisException e) {
          // only RENAME can fail (the TTL was checked before anything was written): that key kept its old value
          failure = failure != null ? failure : entries.get(i).keyText() + ": Redis answered " + e.getMessage();
        }
      }
      if (failure != null) {
        discard(staged.subList(from, staged.size()));
        throw new CollectorException("restore stopped while moving key " + failure + "; " + placed + " keys were "
            + "restored whole and " + (entries.size() - to) + " were not touched");
      }
    }
    if (!appeared.isEmpty()) {
      System.err.println("restore: " + appeared.size() + " key(s) were created by someone else while restoring and were "
          + "left as they are: " + appeared.stream().limit(5).map(Visible::text).collect(Collectors.joining(", ")));
    }
    return placed;
  }

  /** Removes staging keys; a key that is already gone costs nothing. */
  private void discard(List<byte[]> staging) {
    // Redis closes the connection on some errors (a value over proto-max-bulk-len)
    try (Jedis cleaner = jedis.isBroken() ? reconnect.get() : null) {
      Jedis target = cleaner != null ? cleaner : jedis;
      for (int from = 0; from < staging.size(); from += PUBLISH_BATCH) {
        target.unlink(staging.subList(from, Math.min(staging.size(), from + PUBLISH_BATCH)).toArray(new byte[0][]));
      }
    } catch (RuntimeException ignored) {
      // they expire by themselves after a day (KeyStager.STAGING_TTL_MS)
    }
  }

  private List<String> existing(List<SnapshotEntry> entries) {
    List<String> existing = new ArrayList<>();
    for (int from = 0; from < entries.size(); from += PUBLISH_BATCH) {
      List<SnapshotEntry> chunk = entries.subList(from, Math.min(entries.size(), from + PUBLISH_BATCH));
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
}
