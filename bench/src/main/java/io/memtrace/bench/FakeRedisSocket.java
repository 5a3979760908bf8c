package io.memtrace.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import redis.clients.jedis.JedisSocketFactory;

/**
 * A {@link Socket} that never touches the network: whatever Jedis writes is thrown away, and every
 * read is served from one canned RESP reply repeated forever. Since each benchmark sends only
 * commands that get that same reply, Jedis reads a well-formed answer for every command it sends,
 * at memory speed, so a benchmark sees the client's own cost (and the agent's) instead of a
 * ~50 µs loopback round trip.
 *
 * <p>It overrides exactly what {@code redis.clients.jedis.Connection} 5.x calls:
 * {@code isConnected()}'s six checks, the timeout accessors, the two streams and close; and the
 * addresses, which the memtrace consumer reads to fill {@code server.address}/{@code server.port}.
 */
final class FakeRedisSocket extends Socket {

  private static final InetSocketAddress REMOTE =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 6379);
  private static final InetSocketAddress LOCAL =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_000);

  private final InputStream in;
  private final OutputStream out = OutputStream.nullOutputStream();
  private volatile boolean closed;
  private int soTimeout;

  FakeRedisSocket(byte[] reply) {
    this.in = new RepeatingInputStream(reply);
  }

  /** For {@code new Jedis(JedisSocketFactory)}: every command is answered with {@code reply}. */
  static JedisSocketFactory factory(String reply) {
    byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
    return () -> new FakeRedisSocket(bytes);
  }

  @Override
  public InputStream getInputStream() {
    return in;
  }

  @Override
  public OutputStream getOutputStream() {
    return out;
  }

  @Override
  public boolean isConnected() {
    return !closed;
  }

  @Override
  public boolean isBound() {
    return true;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public boolean isInputShutdown() {
    return closed;
  }

  @Override
  public boolean isOutputShutdown() {
    return closed;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  @Override
  public synchronized int getSoTimeout() {
    return soTimeout;
  }

  @Override
  public synchronized void setSoTimeout(int timeout) {
    soTimeout = timeout;
  }

  @Override
  public void setTcpNoDelay(boolean on) {
  }

  @Override
  public void setKeepAlive(boolean on) {
  }

  @Override
  public void setReuseAddress(boolean on) {
  }

  @Override
  public void setSoLinger(boolean on, int linger) {
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return REMOTE;
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return LOCAL;
  }

  @Override
  public InetAddress getInetAddress() {
    return REMOTE.getAddress();
  }

  @Override
  public int getPort() {
    return REMOTE.getPort();
  }

  @Override
  public InetAddress getLocalAddress() {
    return LOCAL.getAddress();
  }

  @Override
  public int getLocalPort() {
    return LOCAL.getPort();
  }

  @Override
  public String toString() {
    return "FakeRedisSocket[" + REMOTE + "]";
  }

  /** An endless stream of the same reply; reads fill the caller's buffer without allocating. */
  static final class RepeatingInputStream extends InputStream {
    private final byte[] reply;
    private int position;

    RepeatingInputStream(byte[] reply) {
      if (reply.length == 0) {
        throw new IllegalArgumentException("empty reply");
      }
      this.reply = reply.clone();
    }

    @Override
    public int read() {
      byte b = reply[position];
      position = position + 1 == reply.length ? 0 : position + 1;
      return b & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      int written = 0;
      while (written < length) {
        int chunk = Math.min(length - written, reply.length - position);
        System.arraycopy(reply, position, buffer, offset + written, chunk);
        written += chunk;
        position += chunk;
        if (position == reply.length) {
          position = 0;
        }
      }
      return written;
    }

    @Override
    public int available() {
      // never "data pending": Jedis 5 checks available() for RESP3 pushes only, and the canned
      // replies must not be mistaken for pushes
      return 0;
    }
  }
}
