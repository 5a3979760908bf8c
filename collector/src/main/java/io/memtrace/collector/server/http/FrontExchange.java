package io.memtrace.collector.server.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
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
 * answer streams out through the connection as the handler writes and flushes it.
 */
final class FrontExchange extends HttpExchange {

  /**
   * The attribute that holds when the request was read whole, {@link System#nanoTime} as a Long:
   * the start of the wait its client sees.
   */
  static final String RECEIVED_NANOS = HttpFront.RECEIVED_NANOS;

  private final FrontConnection connection;
  private final RequestHead head;
  private final RequestBody body;
  private final HttpContext context;
  private final Headers responseHeaders = new Headers();
  private final Map<String, Object> attributes = new HashMap<>();
  private InputStream in;
  private OutputStream out;
  private ResponseStream response;
  private int code = -1;

  FrontExchange(FrontConnection connection, RequestHead head, RequestBody body, HttpContext context) {
    this.connection = connection;
    this.head = head;
    this.body = body;
    this.context = context;
    this.in = new ByteArrayInputStream(body.bytes());
    attributes.put(RECEIVED_NANOS, System.nanoTime());
  }

  @Override
  public Headers getRequestHeaders() {
    return head.headers;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return head.uri;
  }

  @Override
  public String getRequestMethod() {
    return head.method;
  }

  @Override
  public HttpContext getHttpContext() {
    return context;
  }

  /** Ends the exchange: sends a 500 if the handler answered nothing, else completes the answer. */
  @Override
  public synchronized void close() {
    try {
      if (response == null) {
        sendResponseHeaders(500, -1);
      }
      response.close();
    } catch (IOException e) {
      // the client has gone; the connection is closed already
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
        public void close() throws IOException {
          FrontExchange.this.close();
        }
      };
    }
    return out;
  }

  private synchronized ResponseStream started() throws IOException {
    if (response == null) {
      throw new IOException("sendResponseHeaders must come before the body");
    }
    return response;
  }

  @Override
  public synchronized void sendResponseHeaders(int rCode, long responseLength) throws IOException {
    if (response != null) {
      throw new IOException("the headers were sent already");
    }
    code = rCode;
    boolean closeAfter = !head.keepAlive || body.truncated() || connection.draining();
    byte[] bytes = ResponseHead.encode(rCode, responseHeaders, Math.max(responseLength, -1), closeAfter);
    response = new ResponseStream(connection, bytes, Math.max(responseLength, -1), closeAfter);
    if (responseLength < 0) {
      response.close();
    }
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return connection.remote();
  }

  @Override
  public int getResponseCode() {
    return code;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return connection.local();
  }

  @Override
  public String getProtocol() {
    return head.protocol;
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
    return head.method + " " + head.uri.getRawPath();
  }
}
