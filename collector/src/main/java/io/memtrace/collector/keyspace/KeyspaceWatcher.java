package io.memtrace.collector.keyspace;

import io.memtrace.collector.Log;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Watches one Redis from a thread of its own: a {@link KeyspacePass} every interval, its
 * snapshots handed to the {@link KeyspaceSink}. Redis gone, restarting or refusing SCAN, INFO or
 * SELECT fails the attempt: the last good figures are handed on again marked {@code stale}, with
 * the error, and the watcher tries again after 1 s, 2 s, 4 s ... up to one interval. Nothing here
 * stops {@code serve}: the watcher's failures are its own, and spans never wait for it.
 */
public final class KeyspaceWatcher implements AutoCloseable {

  static final long FIRST_BACKOFF_MILLIS = 1_000;

  private final RedisUrl url;
  private final WatchSettings settings;
  private final MemoryStateConfig config;
  private final KeyspaceSink sink;
  private final CommandBudget budget;
  private Thread thread;
  private RedisSession session;
  private PassSnapshot lastComplete;
  private volatile boolean closed;
  private long lastPassId;

  public KeyspaceWatcher(RedisUrl url, WatchSettings settings, MemoryStateConfig config, KeyspaceSink sink) {
    this.url = url;
    this.settings = settings;
    this.config = config;
    this.sink = sink;
    this.budget = new CommandBudget(settings.commandsPerSecond(), settings.burstCommands());
  }

  /** Watches in the background until {@link #close}. */
  public void start() {
    thread = new Thread(() -> run(Long.MAX_VALUE), "memtrace-watch-" + url.address());
    thread.setDaemon(true);
    thread.start();
  }

  /** Makes {@code attempts} passes (failed ones included) on the calling thread, then returns. */
  public void run(long attempts) {
    long backoff = FIRST_BACKOFF_MILLIS;
    for (long attempt = 0; attempt < attempts && !closed; attempt++) {
      long start = System.nanoTime();
      boolean ok = attempt();
      backoff = ok ? FIRST_BACKOFF_MILLIS : backoff;
      if (attempt + 1 >= attempts) {
        break;
      }
      long waitMillis = ok ? settings.intervalMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
          : backoff;
      if (!ok) {
        backoff = Math.min(backoff * 2, Math.max(FIRST_BACKOFF_MILLIS, settings.intervalMillis()));
      }
      if (!sleep(waitMillis)) {
        break;
      }
    }
    disconnect();
  }

  /** One pass; false when it failed, after handing on the stale figures. */
  private boolean attempt() {
    long passId = Math.max(lastPassId + 1, System.currentTimeMillis());
    lastPassId = passId;
    long startNanos = System.nanoTime();
    long commands = budget.sent();
    try {
      if (session == null) {
        session = new RedisSession(url, budget);
      }
      PassSnapshot done = new KeyspacePass(session, url.address(), settings, config, passId, commands)
          .run(this::hand);
      lastComplete = done;
      hand(done);
      return true;
    } catch (JedisException e) {
      failed(describe(e), passId, startNanos, commands, null);
      return false;
    } catch (RuntimeException e) {
      // a reply the watcher did not expect: that attempt fails, the watcher goes on
      failed(e.toString(), passId, startNanos, commands, e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
      return false;
    }
  }

  /** Hands on the last good figures as stale, with the error, after an attempt that failed. */
  private void failed(String error, long passId, long startNanos, long commands, Throwable unexpected) {
    disconnect();
    Instant now = Instant.now();
    List<KeyspaceSample> carried = lastComplete == null ? List.of()
        : lastComplete.samples().stream().map(s -> s.staleAt(now)).toList();
    hand(new PassSnapshot(url.address(), carried, ServerSample.failed(now, url.address(), passId,
        (System.nanoTime() - startNanos) / 1e9, budget.sent() - commands, error)));
    if (!closed) {
      if (unexpected != null) {
        Log.warn("keyspace watcher of " + url.address() + ": " + error + "; trying again", unexpected);
      } else {
        Log.warn("keyspace watcher of " + url.address() + ": " + error + "; trying again");
      }
    }
  }

  private void hand(PassSnapshot snapshot) {
    try {
      sink.accept(snapshot);
    } catch (RuntimeException e) {
      Log.warn("keyspace watcher of " + url.address() + ": cannot record a pass: " + e, e);
    }
  }

  /** Jedis's message names the host and port and what failed, never the password. */
  private static String describe(JedisException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
      message += " (" + cause.getMessage() + ")";
    }
    return message;
  }

  private boolean sleep(long millis) {
    if (millis <= 0) {
      return true;
    }
    try {
      Thread.sleep(millis);
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void disconnect() {
    if (session != null) {
      session.close();
      session = null;
    }
  }

  public String address() {
    return url.address();
  }

  @Override
  public void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(WatchSettings.TIMEOUT_MILLIS + 1_000L);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
