package io.memtrace.bench.stress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The proxy's listening socket on one loopback port and the client connections it accepted: it can
 * stop listening and drop them all (a stopped collector) and listen on the same port again. Each
 * accepted connection is served on its own daemon thread.
 */
final class FaultListener {

  private final Consumer<Socket> serve;
  /** Each accepted connection and the thread serving it. */
  private final Map<Socket, Thread> clients = new ConcurrentHashMap<>();
  private final int port;
  /** {@code null} while shut. Guarded by {@code this}, so a shut never misses a just-accepted client. */
  private ServerSocket server;
  /** The thread accepting on {@code server}. Guarded by {@code this}. */
  private Thread acceptor;

  /** Listens on a free loopback port; {@code serve} runs on each connection's own thread. */
  FaultListener(Consumer<Socket> serve) throws IOException {
    this.serve = serve;
    this.server = bind(0);
    this.port = server.getLocalPort();
    startAccepting(server);
  }

  int port() {
    return port;
  }

  /** Listens on the port again; nothing when already listening. */
  synchronized void listen() throws IOException {
    if (server == null) {
      server = bind(port);
      startAccepting(server);
    }
  }

  /**
   * Closes the listening socket, so connecting is refused, and every accepted connection; interrupts
   * their threads too, so that one holding a slow answer drops it now rather than when the hold ends.
   * Returns once the acceptor has left {@code accept()}: the JDK only releases a listening socket
   * that a thread is blocked on when that thread returns, and until then the port still listens and
   * cannot be bound again.
   */
  void shut() {
    Thread accepting;
    synchronized (this) {
      closeQuietly(server);
      server = null;
      clients.forEach((socket, thread) -> {
        closeQuietly(socket);
        thread.interrupt();
      });
      accepting = acceptor;
      acceptor = null;
    }
    if (accepting != null && accepting != Thread.currentThread()) {
      try {
        accepting.join(5_000); // outside the lock: the acceptor may be waiting for it in register()
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** SO_REUSEADDR, so that the port can be bound again while old connections sit in TIME_WAIT. */
  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private void startAccepting(ServerSocket listening) {
    acceptor = new Thread(() -> accept(listening), "fault-proxy-accept-" + listening.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Accepts on one listening socket until it is closed; a later listen() has its own acceptor. */
  private void accept(ServerSocket listening) {
    while (!listening.isClosed()) {
      try {
        Socket socket = listening.accept();
        socket.setTcpNoDelay(true);
        register(listening, socket);
      } catch (IOException e) {
        if (!listening.isClosed()) {
          pause(); // a failed accept (out of file descriptors) must not spin a core the app needs
        }
      }
    }
  }

  private synchronized void register(ServerSocket listening, Socket socket) {
    if (server != listening) { // shut() ran between accept() and here
      closeQuietly(socket);
      return;
    }
    Thread thread = new Thread(() -> {
      try {
        serve.accept(socket);
      } finally {
        clients.remove(socket);
        closeQuietly(socket);
      }
    }, "fault-proxy-" + socket.getPort());
    thread.setDaemon(true);
    clients.put(socket, thread);
    thread.start();
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void closeQuietly(AutoCloseable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (Exception e) {
        // dropping it is the point; a failure to close changes nothing for the caller
      }
    }
  }
}
