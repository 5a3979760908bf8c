package io.memtrace.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
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
}
