package io.memtrace.collector.truth;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;
import redis.clients.jedis.JedisPubSub;

/**
 * What Redis itself says happened, recorded beside memtrace and never from it: every keyspace event (through this
 * suite's own subscription) and every command with its client (MONITOR). After each step the suite publishes a
 * marker and waits for it on the same subscription, so the events are cut into the steps' windows in Redis's own
 * order: whatever Redis did between two markers (a command's events, and any expiry or eviction in between) is that
 * step's window.
 */
final class RedisRecord implements AutoCloseable {

  static final String MARK = "truth:mark";

  /** One keyspace event: {@code event} on {@code key} in {@code db}, the {@code index}-th received. */
  record Event(int index, int db, String key, String event, long receivedUs) {
    boolean removal() {
      return event.equals("expired") || event.equals("evicted");
    }
  }

  private final List<Event> events = new ArrayList<>();
  private final List<Integer> marks = new ArrayList<>();
  private final List<String> monitor = new ArrayList<>();
  private final Jedis subscriber;
  private final Jedis monitoring;
  private final JedisPubSub pubSub;
  private final Thread subscribing;
  private final Thread watching;
  private final CountDownLatch subscribed = new CountDownLatch(1);

  RedisRecord(TruthRedis redis) throws InterruptedException {
    subscriber = redis.client();
    monitoring = redis.client();
    pubSub = new JedisPubSub() {
      @Override
      public void onPSubscribe(String pattern, int count) {
        if (count == 2) {
          subscribed.countDown();
        }
      }

      @Override
      public void onPMessage(String pattern, String channel, String message) {
        synchronized (RedisRecord.this) {
          if (channel.equals(MARK)) {
            marks.add(events.size());
            RedisRecord.this.notifyAll();
            return;
          }
          // __keyevent@DB__:EVENT, the key as message
          int at = channel.indexOf('@');
          int db = Integer.parseInt(channel.substring(at + 1, channel.indexOf("__", at)));
          events.add(new Event(events.size(), db, message, channel.substring(channel.lastIndexOf(':') + 1),
              TimeUs.now()));
        }
      }
    };
    subscribing = new Thread(() -> untilClosed(() -> subscriber.psubscribe(pubSub, "__keyevent@*__:*", MARK)),
        "truth-events");
    subscribing.setDaemon(true);
    subscribing.start();
    watching = new Thread(() -> untilClosed(() -> monitoring.monitor(new JedisMonitor() {
      @Override
      public void onCommand(String command) {
        synchronized (monitor) {
          monitor.add(command);
        }
      }
    })), "truth-monitor");
    watching.setDaemon(true);
    watching.start();
    subscribed.await();
  }

  /** Runs {@code listening} until its connection is closed, which is how it ends. */
  private static void untilClosed(Runnable listening) {
    try {
      listening.run();
    } catch (redis.clients.jedis.exceptions.JedisConnectionException closed) {
      // the run is over
    }
  }

  /** Publishes marker {@code n} (from {@code client}) and waits until it arrives: the window of step n is closed. */
  List<Event> closeWindow(Jedis client) throws InterruptedException {
    int from;
    synchronized (this) {
      from = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    }
    int n = marks();
    client.publish(MARK, String.valueOf(n));
    synchronized (this) {
      long deadline = System.currentTimeMillis() + 30_000;
      while (marks.size() <= n) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("the marker " + n + " did not come back");
        }
        wait(100);
      }
      return List.copyOf(events.subList(from, marks.get(n)));
    }
  }

  private synchronized int marks() {
    return marks.size();
  }

  /** MONITOR's lines so far: {@code time [db address] "COMMAND" "arg"...}. */
  List<String> monitor() {
    synchronized (monitor) {
      return List.copyOf(monitor);
    }
  }

  @Override
  public void close() {
    try {
      pubSub.punsubscribe();
    } catch (RuntimeException ignored) {
      // already gone with the server
    }
    subscriber.close();
    monitoring.close();
  }
}
