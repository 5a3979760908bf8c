package io.memtrace.collector.server.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * What the front checks of a request before it reads a byte of its body, and of each piece {@link FrontDecoder}
 * decoded: each failure is an {@link HttpProblem} with the status the client gets.
 */
final class RequestHead {

  private RequestHead() {
  }

  /** The decoder's verdict on a piece of the request: 414 and 431 for what is too long, else 400. */
  static void decoded(DecoderResult result) throws HttpProblem {
    if (result.isSuccess()) {
      return;
    }
    Throwable cause = result.cause();
    if (cause instanceof TooLongHttpLineException) {
      throw new HttpProblem(414, "the request line is longer than " + FrontDecoder.MAX_LINE + " bytes");
    }
    if (cause instanceof TooLongFrameException) {
      throw new HttpProblem(431, "the headers are longer than " + FrontDecoder.MAX_HEADERS + " bytes");
    }
    throw new HttpProblem(400, cause instanceof FrontDecoder.Ambiguous ? cause.getMessage()
        : "malformed request: " + cause.getMessage());
  }

  static void version(HttpRequest head) throws HttpProblem {
    if (head.protocolVersion() != HttpVersion.HTTP_1_1 && head.protocolVersion() != HttpVersion.HTTP_1_0) {
      throw new HttpProblem(505, "only HTTP/1.1 and HTTP/1.0 are served");
    }
  }

  /** The request target, which must be a path. */
  static URI target(String target) throws HttpProblem {
    try {
      URI uri = new URI(target);
      if (uri.getRawPath() == null || !uri.getRawPath().startsWith("/")) {
        throw new HttpProblem(400, "the request target must be a path");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new HttpProblem(400, "malformed request target: " + e.getReason());
    }
  }

  /** Whether the body comes in chunks; no other transfer encoding is served. */
  static boolean chunked(HttpRequest head) throws HttpProblem {
    List<String> encodings = head.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    boolean chunked = !encodings.isEmpty();
    if (chunked && !(encodings.size() == 1 && encodings.get(0).equalsIgnoreCase("chunked"))) {
      throw new HttpProblem(501, "Transfer-Encoding " + encodings + " is not supported; send chunked or Content-Length");
    }
    return chunked;
  }

  /** The length the head announces (0 for a chunked body), refused with 413 past {@code maxBody}. */
  static long length(HttpRequest head, boolean chunked, long maxBody) throws HttpProblem {
    long length = chunked ? 0 : HttpUtil.getContentLength(head, 0L);
    if (length > maxBody) {
      // refused before a byte of it is read: the client learns at once, and no memory is held for it
      throw new HttpProblem(413, "request body of " + length + " bytes exceeds the limit of " + maxBody + " bytes");
    }
    return length;
  }
}
