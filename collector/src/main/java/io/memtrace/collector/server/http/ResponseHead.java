package io.memtrace.collector.server.http;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The status line and headers of an answer; the framing headers are the front's, not the handler's. */
final class ResponseHead {

  private ResponseHead() {
  }

  /** {@code length}: above 0 a fixed length, 0 chunked, -1 no body. */
  static byte[] encode(int code, Headers headers, long length, boolean close) {
    StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ").append(code).append(' ').append(reason(code))
        .append("\r\n");
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      String name = e.getKey();
      if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
          || name.equalsIgnoreCase("Connection")) {
        continue;
      }
      for (String value : e.getValue()) {
        // a handler's value never splits the head: line breaks in it are dropped
        head.append(name).append(": ").append(value.replace("\r", "").replace("\n", "")).append("\r\n");
      }
    }
    head.append(length == 0 ? "Transfer-Encoding: chunked" : "Content-Length: " + Math.max(length, 0)).append("\r\n");
    if (close) {
      head.append("Connection: close\r\n");
    }
    return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A complete answer from the front itself: a short text, and the connection closed after it. */
  static byte[] problem(int code, String message) {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    Headers headers = new Headers();
    headers.set("Content-Type", "text/plain; charset=utf-8");
    if (code == 503) {
      headers.set("Retry-After", "1");
    }
    byte[] head = encode(code, headers, body.length, true);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  static String reason(int code) {
    switch (code) {
      case 100: return "Continue";
      case 200: return "OK";
      case 204: return "No Content";
      case 303: return "See Other";
      case 304: return "Not Modified";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 408: return "Request Timeout";
      case 413: return "Content Too Large";
      case 415: return "Unsupported Media Type";
      case 421: return "Misdirected Request";
      case 429: return "Too Many Requests";
      case 431: return "Request Header Fields Too Large";
      case 500: return "Internal Server Error";
      case 501: return "Not Implemented";
      case 503: return "Service Unavailable";
      case 505: return "HTTP Version Not Supported";
      default: return "Status";
    }
  }
}
