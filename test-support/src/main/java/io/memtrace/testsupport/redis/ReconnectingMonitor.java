package io.memtrace.testsupport.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link Monitor} for a node that a Sentinel reconfigures: a Sentinel that turns a node into a primary or a replica
 * kills its normal clients ({@code CLIENT KILL TYPE normal}), a monitor among them, so this one connects again at
 * once and goes on recording. Commands the node ran in the few milliseconds between are not seen, and {@link #gaps}
 * says when those were.
 */
public final class ReconnectingMonitor implements AutoCloseable {

  private static final java.time.Duration RECONNECTING = java.time.Duration.ofSeconds(10);

  private final int port;
  private final List<Monitor.Command> seen = Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;
  private final List<long[]> gaps = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Resp resp;
  private volatile boolean closing;
  private volatile long lastSeenNanos = System.currentTimeMillis() * 1_000_000L;
  /** While its connection is lost (reconnecting, or the node down): when it last saw a command; else -1. */
  private volatile long lostSince = -1;

  private ReconnectingMonitor(int port) {
    this.port = port;
    this.reader = new Thread(this::read, "monitor-" + port);
    this.reader.setDaemon(true);
  }

  /** Starts monitoring the node on {@code port}. */
  public static ReconnectingMonitor start(int port) throws IOException {
    ReconnectingMonitor monitor = new ReconnectingMonitor(port);
    monitor.connect();
    monitor.reader.start();
    return monitor;
  }

  public int port() {
    return port;
  }

  /** What the node has run so far, in order. */
  public List<Monitor.Command> commands() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  private void connect() throws IOException {
    Resp fresh = Resp.connect("127.0.0.1", port);
    fresh.ok("MONITOR");
    fresh.timeout(0);
    resp = fresh;
  }

  private void read() {
    while (!closing) {
      try {
        while (!closing) {
          Object line = resp.read();
          Monitor.Command command = line instanceof String ? Monitor.parse(port, (String) line) : null;
          if (command != null) {
            seen.add(command);
            lastSeenNanos = serverNanos((String) line, lastSeenNanos);
          }
        }
      } catch (IOException | RuntimeException e) {
        long lost = lastSeenNanos;
        if (!closing) {
          lostSince = lost;
        }
        try {
          resp.close();
        } catch (IOException ignored) {
          // connecting again anyway
        }
        if (closing || !reconnect()) {
          return; // the node is down: the gap stays open (lostSince)
        }
        gaps.add(new long[] {lost, System.currentTimeMillis() * 1_000_000L});
        lostSince = -1;
      }
    }
  }

  /** Connects again, for up to 10 s: a node Sentinel is reconfiguring may refuse for a moment. */
  private boolean reconnect() {
    long deadline = System.nanoTime() + RECONNECTING.toNanos();
    while (!closing && System.nanoTime() < deadline) {
      try {
        connect();
        return true;
      } catch (IOException e) {
        RedisProcess.sleep(20);
      }
    }
    return false;
  }

  /** The time a MONITOR line starts with ({@code 1764140000.123456}), in epoch nanoseconds; else {@code last}. */
  static long serverNanos(String line, long last) {
    int space = line.indexOf(' ');
    try {
      return space > 0 ? (long) (Double.parseDouble(line.substring(0, space)) * 1e9) : last;
    } catch (NumberFormatException e) {
      return last;
    }
  }

  /**
   * The stretches it could not see, {start, end} in epoch nanoseconds: from the last command it read before its
   * connection was killed to its new {@code MONITOR}, or to no end while it is not connected again (the node down). A
   * span there may be one of the commands it missed.
   */
  public List<long[]> gaps() {
    long open = lostSince;
    if (open < 0) {
      return List.copyOf(gaps);
    }
    // down, or still reconnecting: what the node ran in its last moment before it died, its replies already on their
    // way to clients, may never have reached this connection (a crashed primary answered a SET that MONITOR did not
    // show, in a test run of 2026-11-27)
    List<long[]> all = new ArrayList<>(gaps);
    all.add(new long[] {open, Long.MAX_VALUE});
    return all;
  }

  @Override
  public void close() {
    closing = true;
    Monitor.stopReading(resp, reader);
  }
}
