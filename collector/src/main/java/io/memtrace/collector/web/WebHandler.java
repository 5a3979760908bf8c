package io.memtrace.collector.web;

import io.memtrace.collector.HttpAnswer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.memtrace.collector.UrlQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Everything of the web view that is not {@code /api/*}: the page at {@code /}, its assets, and
 * sign-in. The page is an empty shell whose scripts ask {@code /api/*} for every number, so the
 * shell and the assets hold no data; still, the shell is served only to a signed-in browser, and
 * anyone else gets 401 and the sign-in page. {@code GET /?token=T} spends the one-time token of
 * the link {@code serve} printed and answers with the session cookie and a redirect to {@code /},
 * which takes the token out of the address bar and the history.
 */
public final class WebHandler implements HttpHandler {

  /** What the page asks of the server's access rules; the server's guard answers it. */
  public interface Access {

    /** Whether the request carries the API token or a live session of {@link WebSessions}. */
    boolean signedIn(HttpExchange exchange);

    /** Whether the request carries the API token itself. */
    boolean carriesToken(HttpExchange exchange);
  }

  private final Access guard;
  private final WebSessions sessions;
  private final WebAssets assets = WebAssets.load();

  public WebHandler(Access guard, WebSessions sessions) {
    this.guard = guard;
    this.sessions = sessions;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().close();
      SecurityHeaders.apply(exchange.getResponseHeaders());
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      if (path.startsWith("/assets/") && method.equals("GET")) {
        asset(exchange, path.substring("/assets/".length()));
      } else if (path.equals("/") && method.equals("GET")) {
        page(exchange);
      } else if (path.equals("/signin") && method.equals("POST")) {
        signIn(exchange);
      } else if (path.equals("/signout") && method.equals("POST")) {
        signOut(exchange);
      } else if (path.equals("/") || path.equals("/signin") || path.equals("/signout")) {
        exchange.getResponseHeaders().set("Allow", path.equals("/") ? "GET" : "POST");
        text(exchange, 405, "method " + method + " is not allowed here");
      } else {
        text(exchange, 404, "no such page; the web view is at /");
      }
    }
  }

  private void page(HttpExchange exchange) throws IOException {
    String token = UrlQuery.parameter(exchange.getRequestURI().getRawQuery(), "token");
    if (token != null) {
      String session = sessions.redeem(token);
      if (session != null || guard.signedIn(exchange)) {
        if (session != null) {
          exchange.getResponseHeaders().add("Set-Cookie", sessions.cookie(session));
        }
        exchange.getResponseHeaders().set("Location", "/");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(303, -1);
        return;
      }
    }
    if (!guard.signedIn(exchange)) {
      send(exchange, 401, assets.document("signin.html"), "no-store");
      return;
    }
    send(exchange, 200, assets.document("index.html"), "no-cache");
  }

  /** The sign-in page's form: the API token, sent by its script as a bearer header, buys a session cookie. */
  private void signIn(HttpExchange exchange) throws IOException {
    if (!WebSessions.sameOrigin(exchange)) {
      text(exchange, 403, "sign in from the sign-in page of this server");
    } else if (!guard.carriesToken(exchange)) {
      text(exchange, 401, "that is not the API token of this collector");
    } else {
      exchange.getResponseHeaders().add("Set-Cookie", sessions.cookie(sessions.start()));
      exchange.sendResponseHeaders(204, -1);
    }
  }

  private void signOut(HttpExchange exchange) throws IOException {
    if (!WebSessions.sameOrigin(exchange)) {
      text(exchange, 403, "sign out from a page of this server");
      return;
    }
    sessions.end(exchange.getRequestHeaders().getFirst("Cookie"));
    exchange.getResponseHeaders().add("Set-Cookie", sessions.expiredCookie());
    exchange.sendResponseHeaders(204, -1);
  }

  private void asset(HttpExchange exchange, String rest) throws IOException {
    int slash = rest.indexOf('/');
    WebAssets.Asset asset = slash < 0 ? null : assets.asset(rest.substring(slash + 1));
    if (asset == null || !rest.substring(0, slash).equals(assets.version())) {
      // an asset of another version: a page from before an upgrade, which is reloaded anyway
      text(exchange, 404, "no such asset");
      return;
    }
    send(exchange, 200, asset, "public, max-age=31536000, immutable");
  }

  private static void send(HttpExchange exchange, int status, WebAssets.Asset asset, String cache) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", cache);
    exchange.getResponseHeaders().set("ETag", asset.etag());
    exchange.getResponseHeaders().set("Vary", "Accept-Encoding, Cookie");
    if (status == 200 && asset.etag().equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
      exchange.sendResponseHeaders(304, -1);
      return;
    }
    String encodings = exchange.getRequestHeaders().getFirst("Accept-Encoding");
    boolean gzip = encodings != null && encodings.contains("gzip");
    byte[] body = gzip ? asset.gzip() : asset.plain();
    exchange.getResponseHeaders().set("Content-Type", asset.type());
    if (gzip) {
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
    }
    HttpAnswer.send(exchange, status, body);
  }

  private static void text(HttpExchange exchange, int status, String message) throws IOException {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    HttpAnswer.send(exchange, status, "text/plain; charset=utf-8", body);
  }

  /** The download size of the view, for the benchmark: every file, gzipped. */
  long gzippedBytes() {
    return assets.all().values().stream().mapToLong(a -> a.gzip().length).sum();
  }
}
