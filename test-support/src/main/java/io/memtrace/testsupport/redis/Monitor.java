package io.memtrace.testsupport.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What one Redis node received, read from its {@code MONITOR} stream on a thread of its own: the ground truth a test
 * compares spans with. Every command the node executed is recorded with the client address that sent it; a
 * {@code MULTI} body is seen at {@code EXEC}. Redis feeds MONITOR after a command ran, so an attempt answered
 * {@code -MOVED} or {@code -ASK} (refused before it ran) is not in it: {@link RedisCluster#errorReplies} counts those.
 */
public final class Monitor implements AutoCloseable {

  /** One command a node saw. */
  public static final class Command {
    /** The port of the node that received it. */
    public final int nodePort;
    /** {@code 127.0.0.1:54321}, or {@code lua} for a script's own calls. */
    public final String client;
    public final String db;
    /** Its name and arguments, as sent. */
    public final List<String> args;

    Command(int nodePort, String client, String db, List<String> args) {
      this.nodePort = nodePort;
      this.client = client;
      this.db = db;
      this.args = List.copyOf(args);
    }

    /** The command's name, upper case. */
    public String name() {
      return args.isEmpty() ? "" : args.get(0).toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
      return nodePort + " [" + db + " " + client + "] " + String.join(" ", args);
    }
  }

  private final RedisProcess node;
  private final Resp resp;
  private final Thread reader;
  private final List<Command> seen = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean closing;

  private Monitor(RedisProcess node, Resp resp) {
    this.node = node;
    this.resp = resp;
    this.reader = new Thread(this::read, "monitor-" + node.port);
    this.reader.setDaemon(true);
  }

  /** Starts monitoring {@code node}; every command it runs from now on is recorded. */
  public static Monitor start(RedisProcess node) throws IOException {
    Resp resp = Resp.connect("127.0.0.1", node.port);
    try {
      resp.ok("MONITOR");
      resp.timeout(0);
      Monitor monitor = new Monitor(node, resp);
      monitor.reader.start();
      return monitor;
    } catch (IOException | RuntimeException e) {
      resp.close();
      throw e;
    }
  }

  /** One monitor per node. */
  public static List<Monitor> startAll(List<RedisProcess> nodes) throws IOException {
    List<Monitor> monitors = new ArrayList<>();
    try {
      for (RedisProcess node : nodes) {
        monitors.add(start(node));
      }
      return monitors;
    } catch (IOException | RuntimeException e) {
      closeAll(monitors);
      throw e;
    }
  }

  public static void closeAll(List<Monitor> monitors) {
    monitors.forEach(Monitor::close);
  }

  /** What the node has run so far, in order. */
  public List<Command> commands() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  public RedisProcess node() {
    return node;
  }

  private void read() {
    try {
      while (!closing) {
        Object line = resp.read();
        if (line instanceof String) {
          Command command = parse(node.port, (String) line);
          if (command != null) {
            seen.add(command);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // closed, or the node went away (a crash the test made): what was seen stays
    }
  }

  /** One MONITOR line (see {@link MonitorLine}) as a command {@code nodePort} saw, or null. */
  static Command parse(int nodePort, String text) {
    MonitorLine line = MonitorLine.parse(text);
    if (line == null) {
      return null;
    }
    List<String> args = new ArrayList<>();
    for (int i = 0; i < line.args.size(); i++) {
      args.add(line.arg(i));
    }
    return new Command(nodePort, line.client, line.db, args);
  }

  @Override
  public void close() {
    closing = true;
    Monitor.stopReading(resp, reader);
  }

  /** Closes the MONITOR connection {@code reader} reads, which ends it, and waits a moment for it to end. */
  static void stopReading(Resp resp, Thread reader) {
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
