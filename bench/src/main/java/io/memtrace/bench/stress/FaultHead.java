package io.memtrace.bench.stress;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The start line and header lines of one HTTP/1.1 message, with the few facts the proxy frames and
 * forwards by. Header lines are kept as received so that what the agent sent reaches the collector
 * unchanged, except the hop-by-hop ones, which belong to each connection of the two.
 */
final class FaultHead {

  /**
   * Headers that describe one connection or one framing, not the message: the proxy re-frames every
   * body with a {@code Content-Length} and answers {@code Expect} itself.
   */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
      "transfer-encoding", "content-length", "expect", "te", "trailer", "upgrade", "host");

  final String startLine;
  final List<String> headers = new ArrayList<>();
  long contentLength = -1;
  boolean chunked;
  boolean close;
  boolean expectContinue;

  private FaultHead(String startLine) {
    this.startLine = startLine;
  }

  /** The next message's head, or {@code null} when the peer closed the connection between messages. */
  static FaultHead read(FaultHttpInput in) throws IOException {
    String start = in.line();
    while (start != null && start.isEmpty()) {
      start = in.line(); // a stray line end between messages is allowed before a request line
    }
    if (start == null) {
      return null;
    }
    FaultHead head = new FaultHead(start);
    for (String line = in.line(); line != null && !line.isEmpty(); line = in.line()) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      head.headers.add(line);
      String value = line.substring(colon + 1).trim();
      switch (line.substring(0, colon).trim().toLowerCase(Locale.ROOT)) {
        case "content-length" -> head.contentLength = Long.parseLong(value);
        case "transfer-encoding" -> head.chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> head.close = value.equalsIgnoreCase("close");
        case "expect" -> head.expectContinue = value.equalsIgnoreCase("100-continue");
        default -> { }
      }
    }
    return head;
  }

  /** The request's method. */
  String method() {
    int space = startLine.indexOf(' ');
    return space < 0 ? startLine : startLine.substring(0, space);
  }

  /** The request's target ("/v1/traces"). */
  String path() {
    String[] parts = startLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new IllegalArgumentException("not an HTTP/1.x request line: " + startLine);
    }
    return parts[1];
  }

  /** The answer's status code. */
  int status() {
    String[] parts = startLine.split(" ");
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IllegalArgumentException("not a status line: " + startLine);
    }
    return Integer.parseInt(parts[1]);
  }

  /** Appends the start line and the end-to-end header lines, each with its line end. */
  void appendEndToEnd(StringBuilder out) {
    out.append(startLine).append("\r\n");
    for (String line : headers) {
      String name = line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name)) {
        out.append(line).append("\r\n");
      }
    }
  }
}
