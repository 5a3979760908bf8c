package io.memtrace.collector.server.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, stricter where a body could be framed two ways: a request with both
 * {@code Transfer-Encoding: chunked} and {@code Content-Length} is refused, not read as chunked.
 */
final class FrontDecoder extends HttpRequestDecoder {

  /** The request line and the headers, each at most. */
  static final int MAX_LINE = 16 * 1024;
  static final int MAX_HEADERS = 64 * 1024;

  FrontDecoder() {
    super(new HttpDecoderConfig().setMaxInitialLineLength(MAX_LINE).setMaxHeaderSize(MAX_HEADERS)
        .setMaxChunkSize(64 * 1024).setValidateHeaders(true));
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    message.setDecoderResult(DecoderResult.failure(new Ambiguous()));
  }

  /** Both framings at once; answered 400. */
  static final class Ambiguous extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Ambiguous() {
      super("both Transfer-Encoding and Content-Length; send one");
    }
  }
}
