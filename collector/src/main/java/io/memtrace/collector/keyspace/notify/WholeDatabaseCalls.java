package io.memtrace.collector.keyspace.notify;

import io.memtrace.collector.keyspace.RedisUrl;
import io.memtrace.collector.timeline.RecordTables;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The commands that change a whole database, counted by the server: Redis 7 sends no keyspace event for
 * {@code FLUSHDB}, {@code FLUSHALL} or {@code SWAPDB} (checked on 7.0.15; {@code FLUSHDB} and {@code FLUSHALL} only
 * invalidate client-side caches, {@code SWAPDB} not even that), so one sent by a client memtrace does not trace
 * changes every key of a database and leaves no sign but the server's {@code INFO commandstats}. A thread beside the
 * subscriber asks for it every {@link #POLL_MILLIS} ms on a connection of its own, and for each call more than the
 * time before records a row of {@code key_notification} ({@link #row}): when, within which window, which command,
 * never which database (the count is the server's). Traced ones are counted too; the reader takes out those a span
 * shows ({@code io.memtrace.collector.timeline.UntracedWholeDatabase}).
 */
final class WholeDatabaseCalls implements Runnable {

  /** How often the server's counts are asked for: the width of the window an untraced command is placed in. */
  static final long POLL_MILLIS = 100;

  /** The commands counted, as {@code INFO commandstats} names them ({@code cmdstat_flushdb}). */
  static final List<String> COMMANDS = RecordTables.WHOLE_DATABASE.stream()
      .map(c -> c.toLowerCase(java.util.Locale.ROOT)).toList();

  private final RedisUrl url;
  private final BlockingQueue<KeyNotification> queue;
  private final NotificationCounts counts;
  private volatile boolean closed;
  /** The counts of the last poll that answered, and when it was sent: the start of the next window. */
  private Map<String, Long> last;
  private Instant lastSent;

  WholeDatabaseCalls(RedisUrl url, BlockingQueue<KeyNotification> queue, NotificationCounts counts) {
    this.url = url;
    this.queue = queue;
    this.counts = counts;
  }

  @Override
  public void run() {
    while (!closed) {
      try (Jedis jedis = new Jedis(url.hostAndPort(), url.clientConfig(KeyspaceNotifications.TIMEOUT_MILLIS))) {
        while (!closed) {
          Instant sent = Instant.now();
          String info = jedis.info("commandstats");
          polled(sent, Instant.now(), calls(info));
          TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
      } catch (JedisException e) {
        // the subscriber says when the server is gone; the counts are the server's, so the next poll that answers
        // places what ran meanwhile in one window from the last that did
        sleep();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Records what the poll sent at {@code sent} and answered at {@code answered} counted since the one before. */
  void polled(Instant sent, Instant answered, Map<String, Long> now) {
    if (last != null) {
      double window = Duration.between(lastSent, answered).toNanos() / 1e9;
      for (String command : COMMANDS) {
        long before = last.getOrDefault(command, 0L);
        long calls = now.getOrDefault(command, 0L);
        // fewer than before: the server restarted or CONFIG RESETSTAT ran; at least what it counted since ran
        long ran = calls >= before ? calls - before : calls;
        for (long i = 0; i < ran; i++) {
          offer(row(answered, url.address(), command, window));
        }
      }
    }
    last = now;
    lastSent = sent;
  }

  /**
   * The row of one call of {@code command} on {@code redis} that ran within the {@code window} seconds before
   * {@code time}: no key (empty) and no namespace, database 0 (the server does not say which), kind {@code delete},
   * and the window in {@code weight}, as a row of one key's event carries how many events it stands for.
   */
  static KeyNotification row(Instant time, String redis, String command, double window) {
    return new KeyNotification(time, redis, 0, "", null, command, EventKinds.DELETE, window);
  }

  private void offer(KeyNotification row) {
    try {
      // not a notification Redis sent, so not counted as one; lost, it leaves every key's answer open: a gap
      if (!queue.offer(row, 1, TimeUnit.SECONDS)) {
        counts.droppedQueue(NotificationSettings.EVERY_NAMESPACE);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The calls of each of {@link #COMMANDS} in {@code INFO commandstats}' answer ({@code calls=N}); absent: none. */
  static Map<String, Long> calls(String info) {
    Map<String, Long> calls = new LinkedHashMap<>();
    for (String line : info.split("\r?\n")) {
      for (String command : COMMANDS) {
        String prefix = "cmdstat_" + command + ":calls=";
        if (line.startsWith(prefix)) {
          int end = line.indexOf(',', prefix.length());
          calls.put(command, Long.parseLong(line.substring(prefix.length(), end < 0 ? line.length() : end)));
        }
      }
    }
    return calls;
  }

  private void sleep() {
    try {
      TimeUnit.MILLISECONDS.sleep(KeyspaceNotifications.FIRST_BACKOFF_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  void close() {
    closed = true;
  }
}
