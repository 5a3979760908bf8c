package io.memtrace.collector.keyspace.notify;

import io.memtrace.collector.Log;
import io.memtrace.collector.keyspace.MemoryStateConfig;
import io.memtrace.collector.keyspace.RedisUrl;
import io.memtrace.collector.keyspace.WatchAcl;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One Redis's keyspace notifications, beside its {@code KeyspaceWatcher}: a subscriber thread on a connection of its
 * own (reads {@code notify-keyspace-events}, may add to it, PSUBSCRIBEs; see {@link SubscriptionSetup}), which hands
 * what the {@link NotificationListener} keeps to a bounded queue, and a {@link NotificationWriter} thread that writes
 * them in batches; beside the subscriber, {@link WholeDatabaseCalls} counts the commands on a whole database, which
 * send no event, into the same queue. The connection dropping is state {@code disconnected} until it is back, tried
 * after 1 s, 2 s, 4 s ... up to {@link #MAX_BACKOFF_MILLIS}; a server that sends nothing is asked again every
 * {@code recheckMillis}.
 * Nothing here stops the watcher or {@code serve}.
 */
public final class KeyspaceNotifications implements AutoCloseable {

  static final long FIRST_BACKOFF_MILLIS = 1_000;
  static final long MAX_BACKOFF_MILLIS = 10_000;
  static final int TIMEOUT_MILLIS = 5_000;

  private final RedisUrl url;
  private final NotificationSettings settings;
  private final MemoryStateConfig config;
  private final long recheckMillis;
  private final NotificationCounts counts = new NotificationCounts();
  private final BlockingQueue<KeyNotification> queue;
  private final NotificationWriter writer;
  private final Object lock = new Object();
  private Thread subscriber;
  private final WholeDatabaseCalls wholeDatabase;
  private Thread wholeDatabaseThread;
  private volatile boolean closed;
  private volatile NotificationListener listener;
  private volatile Jedis connection;
  private final NotificationState state;

  public KeyspaceNotifications(RedisUrl url, NotificationSettings settings, MemoryStateConfig config,
      long recheckMillis, NotificationSink sink) {
    this.url = url;
    this.settings = settings;
    this.config = config;
    this.recheckMillis = Math.max(1_000, recheckMillis);
    this.queue = new ArrayBlockingQueue<>(settings.queueSize());
    this.writer = new NotificationWriter(url.address(), queue, counts, sink, this::status);
    this.state = new NotificationState(writer::statusNow);
    this.wholeDatabase = new WholeDatabaseCalls(url, queue, counts);
  }

  /** Subscribes (or not) in the background, writes from another thread, until {@link #close}. */
  public void start() {
    writer.start();
    if (settings.mode() == EventsMode.OFF) {
      state.change(NotificationStatus.OFF, null);
      state.say("keyspace notifications of " + url.address() + " off (--keyspace-events off): expiries, evictions and "
          + "changes outside the traced services will be unknown; --keyspace-events auto records them when the server "
          + "sends them, on turns them on");
      return;
    }
    subscriber = new Thread(this::subscribeLoop, "memtrace-notify-" + url.address());
    subscriber.setDaemon(true);
    subscriber.start();
    wholeDatabaseThread = new Thread(wholeDatabase, "memtrace-wholedb-" + url.address());
    wholeDatabaseThread.setDaemon(true);
    wholeDatabaseThread.start();
  }

  /**
   * After each pass of the watcher, on its thread: reads the server's setting again while subscribed (someone may
   * have turned the events off, and then their absence means nothing), then a status row with the counts so far,
   * and a warning when some were lost.
   */
  public void passed() {
    if (listener != null && state.notifyConfig() != null) {
      recheck();
    }
    writer.statusNow();
  }

  private void recheck() {
    try (Jedis jedis = new Jedis(url.hostAndPort(), url.clientConfig(TIMEOUT_MILLIS))) {
      NotifyFlags flags = SubscriptionSetup.read(jedis);
      if (!flags.config().equals(state.notifyConfig())) {
        state.notifyConfig(flags.config());
        state.say("keyspace notifications of " + url.address() + ": the server's " + SubscriptionSetup.PARAMETER
            + " is now '" + flags.config() + "'" + (flags.sendsAny() ? "" : "; it sends nothing: " + flags.unknown()
            + " will be unknown"));
        state.change(flags.sendsAny() ? NotificationStatus.ON : NotificationStatus.OFF, null);
      }
    } catch (JedisException e) {
      // refused or gone: the subscriber says so when the server is gone, and the state already says what it knows
    }
  }

  public NotificationCounts.Snapshot counts() {
    return counts.snapshot();
  }

  /** The current state; null before the subscriber has looked. */
  public String state() {
    return state.state();
  }

  /** The status row now; null before the subscriber has looked, when there is nothing to say yet. */
  NotificationStatus status() {
    String now = state.state();
    return now == null ? null
        : new NotificationStatus(Instant.now(), url.address(), now, state.notifyConfig(), counts.snapshot(),
            state.error(), String.join(",", settings.watched()), counts.takeDroppedNamespaces());
  }

  private void subscribeLoop() {
    long backoff = FIRST_BACKOFF_MILLIS;
    NotificationLimiter limiter = new NotificationLimiter(settings.perSecond(), NotificationListener.NAMESPACE_CACHE);
    List<String> namespaces = settings.watched();
    while (!closed) {
      long wait = backoff;
      try (Jedis jedis = new Jedis(url.hostAndPort(), url.clientConfig(TIMEOUT_MILLIS))) {
        connection = jedis;
        SubscriptionSetup setup = SubscriptionSetup.of(jedis, settings.mode());
        state.notifyConfig(setup.config());
        state.say(setup.describe(url, settings.mode()));
        if (setup.pattern() == null) {
          state.change(setup.state(), setup.error());
          wait = recheckMillis;
        } else {
          NotificationListener l = new NotificationListener(url.address(), config.namespaceRule(), namespaces,
              limiter, queue, counts, () -> state.change(setup.state(), setup.error()));
          listener = l;
          if (subscribe(jedis, l, setup.pattern())) {
            if (closed) {
              break;
            }
            throw new JedisException("the subscription ended");
          }
          wait = recheckMillis;
        }
        backoff = FIRST_BACKOFF_MILLIS;
      } catch (JedisException e) {
        if (closed) {
          break;
        }
        boolean wasOn = NotificationStatus.ON.equals(state.state())
            || NotificationStatus.UNAVAILABLE.equals(state.state());
        if (wasOn) {
          backoff = FIRST_BACKOFF_MILLIS;
          wait = backoff;
        }
        state.change(NotificationStatus.DISCONNECTED, describe(e));
        Log.warn("keyspace notifications of " + url.address() + ": " + describe(e) + "; notifications sent meanwhile "
            + "are lost (Redis keeps none); trying again in " + wait / 1000 + " s");
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      } finally {
        listener = null;
        connection = null;
      }
      if (!sleep(wait)) {
        break;
      }
    }
  }

  /**
   * Subscribes until the subscription ends; false when the server refused it (an ACL without {@code +psubscribe} or
   * the channel, as the watcher's rules were before notifications), which is said once and asked again later.
   */
  private boolean subscribe(Jedis jedis, NotificationListener l, String pattern) {
    try {
      jedis.psubscribe(l, pattern);
      return true;
    } catch (JedisDataException e) {
      refused("PSUBSCRIBE " + pattern + " refused (" + e.getMessage() + ")");
      return false;
    }
  }

  private void refused(String what) {
    state.change(NotificationStatus.UNAVAILABLE, what);
    state.say("keyspace notifications of " + url.address() + ": " + what + "; expiries, evictions and changes outside the "
        + "traced services will be unknown; grant the watcher's user +psubscribe " + WatchAcl.CHANNELS
        + " (docs/memory-state.md)");
  }

  private static String describe(JedisException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    return cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())
        ? message + " (" + cause.getMessage() + ")" : message;
  }

  /** Waits {@code millis}, or until {@link #close}; whether the subscriber goes on. */
  private boolean sleep(long millis) {
    long until = System.nanoTime() + millis * 1_000_000L;
    synchronized (lock) {
      for (long left = millis; !closed && left > 0; left = (until - System.nanoTime()) / 1_000_000L) {
        try {
          lock.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return !closed;
  }

  public String address() {
    return url.address();
  }

  /** Ends the subscription, then writes what the queue holds and a last status row. */
  @Override
  public void close() {
    closed = true;
    wholeDatabase.close();
    if (wholeDatabaseThread != null) {
      wholeDatabaseThread.interrupt();
    }
    NotificationListener l = listener;
    if (l != null) {
      try {
        l.punsubscribe();
      } catch (RuntimeException ignored) {
        // the connection is gone already
      }
    }
    synchronized (lock) {
      lock.notifyAll();
    }
    if (subscriber != null) {
      try {
        subscriber.join(2_000);
        Jedis c = connection;
        if (subscriber.isAlive() && c != null) {
          c.close(); // a subscription that did not end on PUNSUBSCRIBE
          subscriber.join(2_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    writer.close();
  }
}
