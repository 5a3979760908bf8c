package io.memtrace.collector.web;

import com.sun.net.httpserver.Headers;

/**
 * The headers every answer of the web view carries. Span data is written by whoever controls
 * the application's input, so the pages are built to show it as text only, and the browser is
 * told to hold them to that: scripts and styles only from this server's own files, no inline
 * script or style, no plugins, no framing; {@code require-trusted-types-for} makes the browser
 * refuse any assignment of a string to {@code innerHTML} and the other HTML sinks, so a slip in
 * a page script fails loudly instead of parsing a key as markup.
 */
final class SecurityHeaders {

  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
      + "require-trusted-types-for 'script'; trusted-types 'none'";

  private SecurityHeaders() {
  }

  static void apply(Headers headers) {
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), clipboard-read=()");
  }
}
