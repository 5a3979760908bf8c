package io.memtrace.collector.timeline;

import java.util.Locale;

/**
 * A Redis address as {@code host:port}, compared after naming the local host one way: a span says {@code localhost}
 * where the watcher was given {@code 127.0.0.1}, or {@code ::1}, and the three are the same server.
 */
public final class RedisAddress {

  private RedisAddress() {
  }

  /** {@code address} with a loopback host written {@code localhost}, lower case; null stays null. */
  public static String normal(String address) {
    if (address == null) {
      return null;
    }
    String a = address.trim().toLowerCase(Locale.ROOT);
    int colon = a.lastIndexOf(':');
    String host = colon < 0 ? a : a.substring(0, colon);
    String port = colon < 0 ? "" : a.substring(colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.equals("127.0.0.1") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")) {
      host = "localhost";
    }
    return host + port;
  }

  /** Whether two addresses name the same server. */
  public static boolean same(String a, String b) {
    return a != null && b != null && normal(a).equals(normal(b));
  }
}
