package io.memtrace.testsupport;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;

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
