package io.memtrace.collector.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of {@code serve} that passes requests at once but holds the
 * collector's first {@code heldAnswers} answers, on whichever connections they come, for
 * {@code holdMillis} before passing them on: the collector has committed and answered, the
 * client gives up waiting and sends again.
 */
final class HoldingProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int upstreamPort;
  private final int heldAnswers;
  private final long holdMillis;
  private final AtomicInteger answers = new AtomicInteger();
  /** The status lines of the answers it held. */
  final List<String> held = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  HoldingProxy(int upstreamPort, int heldAnswers, long holdMillis) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.upstreamPort = upstreamPort;
    this.heldAnswers = heldAnswers;
    this.holdMillis = holdMillis;
    Thread accept = new Thread(this::accept, "holding-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
        client.setTcpNoDelay(true);  // what it copies goes on at once, as it came
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream, false);
        pump(upstream, client, true);
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean hold) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[65536];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          if (hold) {
            String start = new String(buffer, 0, Math.min(n, 12), StandardCharsets.US_ASCII);
            if (start.startsWith("HTTP/1.1") && answers.incrementAndGet() <= heldAnswers) {
              held.add(start);
              Thread.sleep(holdMillis);
            }
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException gone) {
        // either side closed: so does the other
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "holding-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(HoldingProxy::closeQuietly);
  }
}
