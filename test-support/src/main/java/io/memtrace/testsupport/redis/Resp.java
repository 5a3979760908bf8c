package io.memtrace.testsupport.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;

/**
 * A plain RESP2 connection for what a test says to Redis itself: setting up a cluster or a Sentinel, reading
 * {@code MONITOR}, checking a key. Not a client under test (those are the real Jedis, Lettuce and Redisson in the
 * forked programs), so it is small: one command at a time, replies as Java values. A simple string or bulk string
 * is a {@link String} (UTF-8), an integer a {@link Long}, an array a {@link List}, a null {@code null}, and an error
 * reply an {@link Error} value (not thrown: a test often expects one, such as {@code MOVED}).
 */
public final class Resp implements AutoCloseable {

  /** An error reply: {@code -MOVED 3999 127.0.0.1:7001}. */
  public static final class Error {
    public final String message;

    Error(String message) {
      this.message = message;
    }

    @Override
    public String toString() {
      return "-" + message;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private Resp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  public static Resp connect(String host, int port) throws IOException {
    return connect(SocketFactory.getDefault(), host, port);
  }

  /** Over the given sockets: an {@code SSLSocketFactory} for a TLS port. */
  public static Resp connect(SocketFactory sockets, String host, int port) throws IOException {
    Socket socket = sockets.createSocket();
    try {
      socket.connect(new InetSocketAddress(host, port), 2000);
      socket.setSoTimeout(10_000);
      return new Resp(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** One command on its own connection to the loopback {@code port}: its reply, which must not be an error. */
  public static Object once(int port, String... args) throws IOException {
    try (Resp resp = connect("127.0.0.1", port)) {
      return resp.ok(args);
    }
  }

  /** Sends one command and reads its reply. */
  public Object call(String... args) throws IOException {
    send(args);
    return read();
  }

  /** The reply, which must not be an error (setting up a topology: an error there is the test's fault). */
  public Object ok(String... args) throws IOException {
    Object reply = call(args);
    if (reply instanceof Error) {
      throw new IOException(String.join(" ", args) + " on " + socket.getPort() + " answered " + reply);
    }
    return reply;
  }

  public void send(String... args) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      request.writeBytes(bytes);
      request.writeBytes(new byte[] {'\r', '\n'});
    }
    out.write(request.toByteArray());
    out.flush();
  }

  /** The next reply (for {@code MONITOR}, the next command the server saw), waiting up to the read timeout. */
  public Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection to " + socket.getPort() + " closed");
    }
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-':
        return new Error(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] bytes = in.readNBytes(length + 2);
        if (bytes.length < length + 2) {
          throw new EOFException("bulk string cut short on " + socket.getPort());
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read());
        }
        return items;
      }
      default:
        throw new IOException("not RESP2 from " + socket.getPort() + ": '" + (char) type + line + "'");
    }
  }

  /** How long {@link #read} waits for a reply. */
  public void timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  private String line() throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\r') {
      if (b < 0) {
        throw new EOFException("connection to " + socket.getPort() + " closed mid-reply");
      }
      text.write(b);
    }
    in.read(); // '\n'
    return text.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
