package io.memtrace.testsupport.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link Monitor} for a node that a Sentinel reconfigures: a Sentinel that turns a node into a primary or a replica
 * kills its normal clients ({@code CLIENT KILL TYPE normal}), a monitor among them, so this one connects again at
 * once and goes on recording. Commands the node ran in the few milliseconds between are not seen.
 */
public final class ReconnectingMonitor implements AutoCloseable {

  private static final int MAX_RECONNECTS = 50;

  private final int port;
  private final List<Monitor.Command> seen = Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;
  private volatile Resp resp;
  private volatile boolean closing;

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
    for (int reconnects = 0; !closing && reconnects < MAX_RECONNECTS; reconnects++) {
      try {
        while (!closing) {
          Object line = resp.read();
          Monitor.Command command = line instanceof String ? Monitor.parse(port, (String) line) : null;
          if (command != null) {
            seen.add(command);
          }
        }
      } catch (IOException | RuntimeException e) {
        try {
          resp.close();
          if (!closing) {
            connect();
          }
        } catch (IOException gone) {
          return; // the node is down
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
