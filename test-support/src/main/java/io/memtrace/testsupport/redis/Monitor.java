package io.memtrace.testsupport.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

  /**
   * Parses one MONITOR line, {@code 1700000000.123456 [0 127.0.0.1:54321] "SET" "k" "v"}: arguments are quoted, with
   * {@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t}, {@code \a}, {@code \b} and {@code \xNN} escapes.
   */
  static Command parse(int nodePort, String line) {
    int open = line.indexOf('[');
    int close = line.indexOf(']', open);
    if (open < 0 || close < 0) {
      return null;
    }
    String[] source = line.substring(open + 1, close).split(" ", 2);
    List<String> args = new ArrayList<>();
    int i = close + 1;
    while (i < line.length()) {
      if (line.charAt(i) != '"') {
        i++;
        continue;
      }
      ByteArrayOutputStream arg = new ByteArrayOutputStream();
      i++;
      while (i < line.length() && line.charAt(i) != '"') {
        char c = line.charAt(i);
        if (c == '\\' && i + 1 < line.length()) {
          char e = line.charAt(i + 1);
          if (e == 'x' && i + 3 < line.length()) {
            arg.write(Integer.parseInt(line.substring(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          arg.write(e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e == 'a' ? 7 : e == 'b' ? '\b' : e);
          i += 2;
          continue;
        }
        arg.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        i++;
      }
      args.add(arg.toString(StandardCharsets.UTF_8));
      i++;
    }
    return new Command(nodePort, source.length > 1 ? source[1] : "", source[0], args);
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
