package io.memtrace.testsupport;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback ports for the servers a test starts: never a fixed one, which another build may hold. */
public final class Ports {

  private Ports() {
  }

  /** A port free a moment ago; the server that takes it should start at once. */
  public static int free() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /**
   * {@code n} distinct ports, each free a moment ago: for one server that listens on several. The sockets that found
   * them are held until all are found, so the kernel cannot hand the same port out twice (two calls of {@link #free}
   * can: a test's gateway once got one port for its health check and its OTLP receiver).
   */
  public static int[] free(int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket socket = new ServerSocket(0);
        held.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing a listening socket that accepted nothing
        }
      }
    }
  }

  /**
   * A free port whose Redis Cluster bus port (port + 10000) is free too, below the usual ephemeral range: a cluster
   * node listens on both.
   */
  public static int freeWithClusterBus() {
    Set<Integer> tried = new HashSet<>();
    while (tried.size() < 200) {
      int port = ThreadLocalRandom.current().nextInt(20000, 30000);
      if (tried.add(port) && bindable(port) && bindable(port + 10000)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port pair (p, p+10000) in 20000-40000");
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * A loopback port where nothing listens, for as long as the handle is open: a socket is bound to it and does not
   * listen, so a connection is refused and no other server (another test fork's) can take it meanwhile. A port merely
   * free a moment ago can be taken: an exporter sent to one, which a server in the other test fork had just bound,
   * and both tests failed.
   */
  public static Refusing refusing() {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return new Refusing(socket);
    } catch (IOException e) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // failing already
      }
      throw new UncheckedIOException("no free port", e);
    }
  }

  /** A port bound and not listening ({@link #refusing}); closing the handle frees it. */
  public static final class Refusing implements Closeable {

    private final Socket socket;

    private Refusing(Socket socket) {
      this.socket = socket;
    }

    public int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /**
   * Keeps {@code port} taken until the handle is closed: this test binds it on every address, or another process
   * already holds it. Either way a server that insists on that port cannot have it, which is what such a test is for.
   */
  public static Closeable taken(int port) {
    try {
      return new ServerSocket(port);
    } catch (BindException heldElsewhere) {
      return () -> { };
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind port " + port, e);
    }
  }
}
