package io.memtrace.collector.server.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import io.netty.handler.codec.http.HttpRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * One request of the {@link HttpFront} as the JDK's {@link HttpExchange}, so handlers are written
 * as for {@code com.sun.net.httpserver}. The body was received whole before the handler runs; the
 * answer streams out through the channel as the handler writes and flushes it ({@link NettyAnswer}).
 */
final class NettyExchange extends HttpExchange {

  private final FrontChannel connection;
  private final HttpRequest request;
  private final URI uri;
  private final BodyBuffer body;
  private final HttpContext context;
  private final boolean closeAfter;
  private final Headers requestHeaders = new Headers();
  private final Headers responseHeaders = new Headers();
  private final Map<String, Object> attributes = new HashMap<>();
  private InputStream in;
  private OutputStream out;
  private NettyAnswer answer;
  private int code = -1;

  NettyExchange(FrontChannel connection, HttpRequest request, URI uri, BodyBuffer body, HttpContext context,
      boolean closeAfter) {
    this.connection = connection;
    this.request = request;
    this.uri = uri;
    this.body = body;
    this.context = context;
    this.closeAfter = closeAfter;
    request.headers().forEach(h -> requestHeaders.add(h.getKey(), h.getValue()));
    this.in = new ByteArrayInputStream(body.bytes());
    attributes.put(HttpFront.RECEIVED_NANOS, System.nanoTime());
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    return request.method().name();
  }

  @Override
  public HttpContext getHttpContext() {
    return context;
  }

  /**
   * Ends the exchange: sends a 500 if the handler answered nothing, else completes the answer. When even that
   * fails (out of memory half way through a long answer), the connection is closed without one: a client that
   * waits for the rest of an answer that will never come would wait for good.
   */
  @Override
  public synchronized void close() {
    try {
      if (answer == null) {
        sendResponseHeaders(500, -1);
      }
      answer.close();
    } catch (IOException e) {
      // the client has gone; the connection is closed already
    } catch (Throwable cannotAnswer) {
      connection.channel().close();
      throw cannotAnswer;
    } finally {
      body.release();
    }
  }

  @Override
  public InputStream getRequestBody() {
    return in;
  }

  @Override
  public synchronized OutputStream getResponseBody() {
    if (out == null) {
      out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          started().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          started().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
          started().flush();
        }

        @Override
        public void close() {
          NettyExchange.this.close();
        }
      };
    }
    return out;
  }

  private synchronized NettyAnswer started() throws IOException {
    if (answer == null) {
      throw new IOException("sendResponseHeaders must come before the body");
    }
    return answer;
  }

  @Override
  public synchronized void sendResponseHeaders(int rCode, long responseLength) throws IOException {
    if (answer != null) {
      throw new IOException("the headers were sent already");
    }
    code = rCode;
    answer = new NettyAnswer(connection, rCode, responseHeaders, Math.max(responseLength, -1),
        closeAfter || connection.draining());
    if (responseLength < 0) {
      answer.close();
    }
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return (InetSocketAddress) connection.channel().remoteAddress();
  }

  @Override
  public int getResponseCode() {
    return code;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return (InetSocketAddress) connection.channel().localAddress();
  }

  @Override
  public String getProtocol() {
    return request.protocolVersion().text();
  }

  @Override
  public synchronized Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public synchronized void setAttribute(String name, Object value) {
    attributes.put(name, value);
  }

  @Override
  public synchronized void setStreams(InputStream i, OutputStream o) {
    if (i != null) {
      in = i;
    }
    if (o != null) {
      out = o;
    }
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }

  /** The request line, for a log message. */
  @Override
  public String toString() {
    return request.method() + " " + uri.getRawPath();
  }
}
