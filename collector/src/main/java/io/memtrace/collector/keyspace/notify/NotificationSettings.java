package io.memtrace.collector.keyspace.notify;

import io.memtrace.collector.CollectorException;
import java.util.List;

/**
 * How a watcher takes keyspace notifications, declared once with its defaults ({@code serve --watch-redis} and
 * {@code watch} read these).
 *
 * @param mode        whether to subscribe, and whether to change the server's setting to
 * @param perSecond   the most notifications recorded a second, per Redis; beyond it namespaces are sampled
 * @param queueSize   notifications held between the subscriber and the writer; a full queue drops and counts
 * @param namespaces  globs of the namespaces recorded; empty: every namespace ({@link #EVERY_NAMESPACE})
 */
public record NotificationSettings(EventsMode mode, int perSecond, int queueSize, List<String> namespaces) {

  public static final EventsMode DEFAULT_MODE = EventsMode.AUTO;
  /** The glob of every key, namespaced or not: what notifications cover unless narrowed. */
  public static final String EVERY_NAMESPACE = "*";
  /**
   * 1,000 rows a second: under a sustained flood 3.6M rows an hour per Redis, a table DuckDB appends at a few
   * percent of a core; the benchmark's 10,000 expiries a second are then sampled one in ten.
   */
  public static final int DEFAULT_PER_SECOND = 1_000;
  /** Ten seconds of the default cap: the writer may stall that long (a checkpoint) before anything is dropped. */
  public static final int DEFAULT_QUEUE = 10_000;

  public NotificationSettings {
    if (mode == null || perSecond < 1 || queueSize < 1) {
      throw new CollectorException("the notification cap (--keyspace-events-rate) must be at least 1 a second");
    }
    namespaces = List.copyOf(namespaces);
  }

  public static NotificationSettings defaults() {
    return new NotificationSettings(DEFAULT_MODE, DEFAULT_PER_SECOND, DEFAULT_QUEUE, List.of());
  }

  /** The globs of the namespaces recorded: those asked, else every namespace. */
  public List<String> watched() {
    return namespaces.isEmpty() ? List.of(EVERY_NAMESPACE) : namespaces;
  }

  public NotificationSettings withMode(EventsMode other) {
    return new NotificationSettings(other, perSecond, queueSize, namespaces);
  }
}
