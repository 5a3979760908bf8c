package io.memtrace.testsupport;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

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
