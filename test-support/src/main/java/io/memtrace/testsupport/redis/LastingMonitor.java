package io.memtrace.testsupport.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link Monitor} that outlives the server closing its connection: Sentinel ends every normal client of a node whose
 * role it changes ({@code CLIENT KILL TYPE normal}), MONITOR connections included, and an application that reconnects
 * to the new primary would otherwise be watched by no one. It connects again at once; what the node ran in between
 * (the application is reconnecting then too) could be missed, which a comparison with spans would show.
 */
public final class LastingMonitor implements AutoCloseable {

  private static final int MAX_RECONNECTS = 50;

  private final RedisProcess node;
  private final List<Monitor.Command> seen = Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;
  private volatile Resp resp;
  private volatile boolean closing;

  private LastingMonitor(RedisProcess node) {
    this.node = node;
    this.reader = new Thread(this::read, "lasting-monitor-" + node.port);
    this.reader.setDaemon(true);
  }

  /** Starts monitoring {@code node}, until {@link #close}. */
  public static LastingMonitor start(RedisProcess node) throws IOException {
    LastingMonitor monitor = new LastingMonitor(node);
    monitor.connect();
    monitor.reader.start();
    return monitor;
  }

  private void connect() throws IOException {
    Resp fresh = Resp.connect("127.0.0.1", node.port);
    try {
      fresh.ok("MONITOR");
      fresh.timeout(0);
    } catch (IOException | RuntimeException e) {
      fresh.close();
      throw e;
    }
    resp = fresh;
  }

  /** What the node has run so far, in order. */
  public List<Monitor.Command> commands() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  private void read() {
    for (int reconnects = 0; !closing && reconnects <= MAX_RECONNECTS; reconnects++) {
      try {
        while (!closing) {
          Object line = resp.read();
          Monitor.Command command = line instanceof String ? Monitor.parse(node.port, (String) line) : null;
          if (command != null) {
            seen.add(command);
          }
        }
      } catch (IOException | RuntimeException closed) {
        try {
          resp.close();
          if (!closing) {
            connect();
          }
        } catch (IOException | RuntimeException gone) {
          return; // the node is down: what was seen stays
        }
      }
    }
  }

  @Override
  public void close() {
    closing = true;
    try {
      resp.close();
      reader.join(5000);
    } catch (IOException e) {
      // closing anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
