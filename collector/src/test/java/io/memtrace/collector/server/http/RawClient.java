package io.memtrace.collector.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A socket that speaks HTTP byte by byte, as a test wants it to: slowly, badly, or not at all. */
final class RawClient implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;

  RawClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    in = socket.getInputStream();
  }

  RawClient send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawClient send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** Shuts down the sending side (a half-close): the server sees the end of the stream, and may still answer. */
  RawClient shutdownOutput() throws IOException {
    socket.shutdownOutput();
    return this;
  }

  /** One answer: status line, headers and a Content-Length or chunked body, as text. */
  String answer() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    String lower = text.toLowerCase();
    int at = lower.indexOf("content-length: ");
    if (at >= 0) {
      int length = Integer.parseInt(lower.substring(at + 16, lower.indexOf("\r\n", at)).trim());
      return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
    if (lower.contains("transfer-encoding: chunked")) {
      StringBuilder body = new StringBuilder();
      while (true) {
        int size = Integer.parseInt(line(), 16);
        if (size == 0) {
          line();
          return text + body;
        }
        body.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
        line();
      }
    }
    return text;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("closed in a chunk");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  /** Whether the server has closed the connection (reads past whatever answer came first). */
  boolean closedWithin(long millis) throws IOException {
    socket.setSoTimeout((int) millis);
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
