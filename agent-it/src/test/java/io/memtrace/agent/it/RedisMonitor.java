package io.memtrace.agent.it;

import io.memtrace.testsupport.redis.MonitorLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a Redis server received, read back from its own {@code MONITOR} on a raw connection the
 * test opens: each command with its database, its client and its arguments as bytes. Also sends
 * the plain commands a test needs to reset the server between runs. Closed by the test.
 */
final class RedisMonitor implements AutoCloseable {

  /** One line of MONITOR's output. */
  static final class Line {
    final int db;
    /** {@code host:port} of the client, or {@code lua} for a command a script ran. */
    final String client;
    final List<byte[]> args;

    Line(int db, String client, List<byte[]> args) {
      this.db = db;
      this.client = client;
      this.args = args;
    }

    String name() {
      return new String(args.get(0), StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT);
    }

    String arg(int i) {
      return i < args.size() ? new String(args.get(i), StandardCharsets.UTF_8) : null;
    }

    /** The command's first key as the tests' commands place it: after EVAL's numkeys, none for SCRIPT, else first. */
    String key() {
      String name = name();
      if (name.equals("EVAL") || name.equals("EVALSHA") || name.equals("EVAL_RO") || name.equals("EVALSHA_RO")) {
        return Integer.parseInt(arg(2)) > 0 ? arg(3) : null;
      }
      if (name.equals("SCRIPT") || name.equals("MULTI") || name.equals("EXEC")) {
        return null;
      }
      return args.size() > 1 ? arg(1) : null;
    }

    @Override
    public String toString() {
      List<String> shown = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        shown.add(arg(i));
      }
      return "[" + db + " " + client + "] " + shown;
    }
  }

  private final Socket socket;
  private final List<Line> lines = Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;

  private RedisMonitor(Socket socket) {
    this.socket = socket;
    this.reader = new Thread(this::read, "redis-monitor");
    reader.setDaemon(true);
  }

  /** Starts monitoring {@code host:port}; returns once the server confirmed. */
  static RedisMonitor start(String host, int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(60_000);
    socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
    String ok = readLine(socket.getInputStream());
    if (!"+OK".equals(ok)) {
      socket.close();
      throw new IOException("MONITOR answered " + ok);
    }
    RedisMonitor monitor = new RedisMonitor(socket);
    monitor.reader.start();
    return monitor;
  }

  /** Sends {@code words} as one command on a connection of its own and returns the first reply line. */
  static String command(String host, int port, String... words) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(10_000);
      StringBuilder resp = new StringBuilder("*").append(words.length).append("\r\n");
      for (String word : words) {
        resp.append('$').append(word.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(word).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
      return readLine(socket.getInputStream());
    }
  }

  /** The lines of clients (not scripts), once no new line has come for a moment. */
  List<Line> clientLines() throws InterruptedException {
    int seen = -1;
    while (seen != lines.size()) {
      seen = lines.size();
      Thread.sleep(300);
    }
    synchronized (lines) {
      return lines.stream().filter(l -> !l.client.equals("lua")).collect(java.util.stream.Collectors.toList());
    }
  }

  private void read() {
    try {
      InputStream in = socket.getInputStream();
      while (true) {
        String line = readLine(in);
        if (line == null) {
          return;
        }
        if (line.startsWith("+")) {
          lines.add(parse(line.substring(1)));
        }
      }
    } catch (IOException e) {
      // closed by the test
    }
  }

  /** {@code 1700000000.123456 [1 127.0.0.1:50334] "SET" "k" "v\x00"}: see {@link MonitorLine}. */
  static Line parse(String text) {
    MonitorLine line = MonitorLine.parse(text);
    return new Line(Integer.parseInt(line.db), line.client, line.args);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    socket.close();
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
