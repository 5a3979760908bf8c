package io.memtrace.collector.keyspace.notify;

import io.memtrace.common.Glob;
import io.memtrace.common.NamespaceRule;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Pattern;
import redis.clients.jedis.JedisPubSub;

/**
 * The subscriber thread's work on each notification, kept short so Redis's reply stream never waits on it (a
 * subscriber that falls behind fills the server's pub/sub output buffer, and Redis then drops the connection): the
 * event's kind, the key's namespace, the namespace filter, the {@link NotificationLimiter}, and a non-blocking offer
 * to the writer's bounded queue. Nothing here allocates beyond the row it keeps, nor does I/O.
 */
final class NotificationListener extends JedisPubSub {

  static final int NAMESPACE_CACHE = 10_000;

  private final String redis;
  private final NamespaceRule rule;
  private final Pattern watched;
  private final NotificationLimiter limiter;
  private final BlockingQueue<KeyNotification> queue;
  private final NotificationCounts counts;
  private final Runnable onSubscribed;
  private final Map<String, Boolean> watchedCache = new HashMap<>();

  /** {@code namespaces}: globs, {@code *} for every key (those without a namespace too). */
  NotificationListener(String redis, NamespaceRule rule, List<String> namespaces, NotificationLimiter limiter,
      BlockingQueue<KeyNotification> queue, NotificationCounts counts, Runnable onSubscribed) {
    this.redis = redis;
    this.rule = rule;
    this.watched = namespaces.contains("*") ? null : Glob.compileAny(namespaces);
    this.limiter = limiter;
    this.queue = queue;
    this.counts = counts;
    this.onSubscribed = onSubscribed;
  }

  @Override
  public void onPSubscribe(String pattern, int subscribedChannels) {
    onSubscribed.run();
  }

  @Override
  public void onPMessage(String pattern, String channel, String message) {
    // __keyevent@<db>__:<event> with the key as message, or __keyspace@<db>__:<key> with the event
    int at = channel.indexOf('@');
    int end = channel.indexOf("__:", at);
    if (at < 0 || end < 0) {
      counts.ignored();
      return;
    }
    boolean keyevent = channel.startsWith("__keyevent");
    String rest = channel.substring(end + 3);
    record(parseDb(channel, at + 1, end), keyevent ? message : rest, keyevent ? rest : message);
  }

  /** One notification of {@code event} on {@code key}, as the subscriber thread sees it. */
  void record(int db, String key, String event) {
    String kind = EventKinds.of(event);
    if (kind == null || db < 0) {
      counts.ignored();
      return;
    }
    String namespace = rule.namespace(key);
    if (!watched(namespace)) {
      counts.ignored();
      return;
    }
    double weight = limiter.admit(namespace, System.nanoTime());
    if (weight == NotificationLimiter.SAMPLED_OUT) {
      counts.droppedSampled(namespace);
    } else if (weight < 0) {
      counts.droppedRate(namespace);
    } else if (queue.offer(new KeyNotification(Instant.now(), redis, db, key, namespace, event, kind, weight))) {
      counts.recorded();
    } else {
      counts.droppedQueue(namespace);
    }
  }

  private boolean watched(String namespace) {
    if (watched == null) {
      return true;
    }
    if (namespace == null) {
      return false;
    }
    Boolean known = watchedCache.get(namespace);
    if (known == null) {
      if (watchedCache.size() >= NAMESPACE_CACHE) {
        watchedCache.clear();
      }
      known = watched.matcher(namespace).matches();
      watchedCache.put(namespace, known);
    }
    return known;
  }

  private static int parseDb(String channel, int from, int to) {
    int db = 0;
    if (from >= to) {
      return -1;
    }
    for (int i = from; i < to; i++) {
      char c = channel.charAt(i);
      if (c < '0' || c > '9' || db > 100_000) {
        return -1;
      }
      db = db * 10 + (c - '0');
    }
    return db;
  }
}
