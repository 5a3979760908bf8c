package io.memtrace.collector.server.http;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The request line and headers of one HTTP/1.x request, parsed strictly: whatever could frame a
 * body two ways (both Content-Length and Transfer-Encoding, differing lengths, folded headers) is
 * refused rather than guessed.
 */
final class RequestHead {

  final String method;
  final URI uri;
  final String protocol;
  final Headers headers;
  /** Bytes of body declared by Content-Length; 0 when there is none or it is chunked. */
  final long contentLength;
  final boolean chunked;
  final boolean expectContinue;
  final boolean keepAlive;

  private RequestHead(String method, URI uri, String protocol, Headers headers) throws HttpProblem {
    this.method = method;
    this.uri = uri;
    this.protocol = protocol;
    this.headers = headers;
    List<String> encodings = headers.get("Transfer-Encoding");
    List<String> lengths = headers.get("Content-Length");
    if (encodings != null && lengths != null) {
      throw new HttpProblem(400, "both Transfer-Encoding and Content-Length; send one");
    }
    this.chunked = encodings != null;
    if (chunked && !(encodings.size() == 1 && encodings.get(0).equalsIgnoreCase("chunked"))) {
      throw new HttpProblem(501, "Transfer-Encoding " + encodings + " is not supported; send chunked or Content-Length");
    }
    this.contentLength = lengths == null ? 0 : length(lengths);
    String expect = headers.getFirst("Expect");
    this.expectContinue = expect != null && expect.equalsIgnoreCase("100-continue");
    String connection = String.valueOf(headers.getFirst("Connection")).toLowerCase(Locale.ROOT);
    this.keepAlive = protocol.equals("HTTP/1.1") ? !connection.contains("close") : connection.contains("keep-alive");
  }

  /** Parses {@code buf[from, to)}, which ends with the empty line that ends the head. */
  static RequestHead parse(byte[] buf, int from, int to) throws HttpProblem {
    String[] lines = new String(buf, from, to - from, StandardCharsets.ISO_8859_1).split("\n", -1);
    String[] request = strip(lines[0]).split(" ", -1);
    if (request.length != 3 || !isToken(request[0])) {
      throw new HttpProblem(400, "malformed request line");
    }
    if (!request[2].equals("HTTP/1.1") && !request[2].equals("HTTP/1.0")) {
      throw new HttpProblem(request[2].startsWith("HTTP/") ? 505 : 400, "only HTTP/1.1 and HTTP/1.0 are served");
    }
    Headers headers = new Headers();
    int count = 0;
    for (int i = 1; i < lines.length; i++) {
      String line = strip(lines[i]);
      if (line.isEmpty()) {
        continue;
      }
      if (++count > FrontLimits.MAX_HEADERS) {
        throw new HttpProblem(431, "more than " + FrontLimits.MAX_HEADERS + " headers");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        throw new HttpProblem(400, "malformed header line");
      }
      String value = line.substring(colon + 1).strip();
      for (int c = 0; c < value.length(); c++) {
        if (value.charAt(c) < 0x20 && value.charAt(c) != '\t' || value.charAt(c) == 0x7f) {
          throw new HttpProblem(400, "a control character in header " + line.substring(0, colon));
        }
      }
      headers.add(line.substring(0, colon), value);
    }
    return new RequestHead(request[0], uri(request[1]), request[2], headers);
  }

  private static URI uri(String target) throws HttpProblem {
    try {
      URI uri = new URI(target);
      if (uri.getRawPath() == null || !uri.getRawPath().startsWith("/") && !target.equals("*")) {
        throw new HttpProblem(400, "the request target must be a path");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new HttpProblem(400, "malformed request target: " + e.getReason());
    }
  }

  private static long length(List<String> values) throws HttpProblem {
    String first = values.get(0);
    for (String v : values) {
      if (!v.equals(first) || v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new HttpProblem(400, "bad Content-Length " + values);
      }
    }
    return Long.parseLong(first);
  }

  /** A header line may end in CR LF or a bare LF. */
  private static String strip(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  /** An RFC 9110 token: what method and header names are made of. */
  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
        return false;
      }
    }
    return true;
  }

  /** Where the head in {@code buf[from, to)} ends (after its empty line), or -1 while it is incomplete. */
  static int end(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n') {
        if (i + 1 < to && buf[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < to && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }
}
