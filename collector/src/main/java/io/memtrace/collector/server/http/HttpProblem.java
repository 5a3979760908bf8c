package io.memtrace.collector.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** A request the front answers itself, with this status and message, and then closes the connection. */
final class HttpProblem extends Exception {

  private static final long serialVersionUID = 1L;

  final int status;

  HttpProblem(int status, String message) {
    super(message);
    this.status = status;
  }

  /** A complete answer from the front itself: a short text, and the connection closed after it. */
  static FullHttpResponse answer(int status, String message) {
    ByteBuf text = Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        text);
    response.headers().set("Content-Type", "text/plain; charset=utf-8")
        .set("Content-Length", text.readableBytes()).set("Connection", "close");
    if (status == 503) {
      response.headers().set("Retry-After", "1");
    }
    return response;
  }
}
