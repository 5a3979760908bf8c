package io.memtrace.collector.cli;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/** What {@code serve} tells its operator once it listens: where, what a bind beyond loopback opens, the web view. */
final class ServeNotice {

  private ServeNotice() {
  }

  /** Says where this serves ({@code listening}), what a wide {@code bind} opens and the web view's sign-in link. */
  static void announce(String bind, String listening, int port, URI signIn) {
    System.err.println(listening);
    exposure(bind, port).ifPresent(System.err::println);
    // the web view (issue 30): a link that signs in once; after that, its sign-in page takes the API token
    System.err.println("memtrace web view: " + signIn + " (a one-time sign-in link)");
    System.err.flush();
  }

  /** What a bind beyond loopback opens up, said once at start. */
  private static Optional<String> exposure(String bind, int port) {
    try {
      if (InetAddress.getByName(bind).isLoopbackAddress()) {
        return Optional.empty();
      }
    } catch (UnknownHostException e) {
      // it bound, so it resolved; treat it as exposed
    }
    return Optional.of("warning: --bind " + bind + " makes this collector reachable from other machines: "
        + "OTLP ingest (/v1/traces, /v1/metrics) on port " + port + " accepts data from anyone who can reach it, "
        + "without authentication; the SQL API (/api/*) answers only requests with the API token. Requests must "
        + "name this machine's address, localhost or an --allowed-host in their Host header.");
  }
}
