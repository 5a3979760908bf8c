package io.memtrace.collector.server;

import io.memtrace.collector.HttpAnswer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.memtrace.collector.web.WebHandler;
import io.memtrace.collector.web.WebSessions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may ask what. Every request must name a {@code Host} this server answers to: a web page
 * that rebinds its own DNS name to 127.0.0.1 still sends that name, so it is refused (403). The
 * names are {@code localhost}, an IP address of the interface the request came in on or of
 * loopback, and the names given with {@code --allowed-host}; a request without {@code Host}
 * (HTTP/1.0, not a browser) passes. {@code /api/*} also needs {@code Authorization: Bearer}
 * with the API token, or the web view's session cookie ({@link WebSessions}) on a request the
 * browser marks as coming from this origin (401 otherwise, 403 for the cookie sent cross-site);
 * OTLP ingest needs no token, as with other collectors.
 */
public final class AccessGuard implements WebHandler.Access {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final String token;
  private final Set<String> allowedHosts;
  private final WebSessions sessions;

  /**
   * @param allowedHosts host names, lower case, that requests may name besides localhost and addresses
   * @param sessions     the web view's sign-ins, whose cookie stands in for the token
   */
  public AccessGuard(String token, Set<String> allowedHosts, WebSessions sessions) {
    this.token = token;
    this.allowedHosts = Set.copyOf(allowedHosts);
    this.sessions = sessions;
  }

  /** Checks the Host only: for OTLP ingest. */
  public HttpHandler open(HttpHandler handler) {
    return exchange -> {
      if (hostAllowed(exchange)) {
        handler.handle(exchange);
      }
    };
  }

  /** Checks the Host and the bearer token or a same-origin session: for {@code /api/*}. */
  public HttpHandler api(HttpHandler handler) {
    return exchange -> {
      // answers carry data the application wrote: never sniffed as a page, never kept in a cache
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      if (hostAllowed(exchange) && authorized(exchange)) {
        handler.handle(exchange);
      }
    };
  }

  /** Whether the request carries the API token or a live web session, wherever it came from: for pages. */
  @Override
  public boolean signedIn(HttpExchange exchange) {
    return carriesToken(exchange) || sessions.valid(exchange.getRequestHeaders().getFirst("Cookie"));
  }

  private boolean hostAllowed(HttpExchange exchange) throws IOException {
    String header = exchange.getRequestHeaders().getFirst("Host");
    if (header == null || isAllowed(host(header), exchange.getLocalAddress().getAddress())) {
      return true;
    }
    refuse(exchange, 403, "Host '" + header + "' is not a name this collector answers to; it answers to localhost, "
        + "its own IP addresses and names given with serve --allowed-host (this keeps out web pages that rebind "
        + "their DNS name to this machine)");
    return false;
  }

  boolean isAllowed(String host, InetAddress local) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.equals("localhost") || allowedHosts.contains(name)) {
      return true;
    }
    if (!IPV4.matcher(name).matches() && !name.contains(":")) {
      return false; // a name: only a configured one, never looked up
    }
    try {
      InetAddress address = InetAddress.getByName(name); // a literal: parsed, not resolved
      return address.isLoopbackAddress() || address.equals(local);
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The host of a Host header: {@code name}, {@code name:port}, {@code [v6]} or {@code [v6]:port}. */
  static String host(String header) {
    String h = header.strip();
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close < 0 ? h : h.substring(1, close);
    }
    int colon = h.indexOf(':');
    return colon < 0 || h.indexOf(':', colon + 1) >= 0 ? h : h.substring(0, colon);
  }

  /** Whether the request carries {@code Authorization: Bearer} with the API token. */
  @Override
  public boolean carriesToken(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        && ApiToken.matches(token, header.substring(7).strip());
  }

  private boolean authorized(HttpExchange exchange) throws IOException {
    if (carriesToken(exchange)) {
      return true;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null && sessions.valid(exchange.getRequestHeaders().getFirst("Cookie"))) {
      if (WebSessions.sameOrigin(exchange)) {
        return true;
      }
      refuse(exchange, 403, "the web view's session cookie counts only on requests from its own pages "
          + "(Sec-Fetch-Site: same-origin); other clients send Authorization: Bearer <token>");
      return false;
    }
    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"memtrace\"");
    refuse(exchange, 401, (header == null ? "this API needs the header Authorization: Bearer <token>"
        : "the API token is wrong") + "; the token is the --api-token or " + ApiToken.ENV
        + " serve was started with, else the file api-token that serve wrote in its data directory");
    return false;
  }

  static void refuse(HttpExchange exchange, int status, String message) throws IOException {
    try (exchange) {
      exchange.getRequestBody().close();
      byte[] body = JSON.writeValueAsBytes(Map.of("error", message));
      HttpAnswer.send(exchange, status, HttpAnswer.JSON, body);
    }
  }
}
