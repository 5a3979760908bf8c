package io.memtrace.bench.stress;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The kept-alive connection from one client connection to the upstream. Owned by that client
 * connection's thread alone, so requests and answers pair by the connection they travel on.
 */
final class FaultUpstream implements AutoCloseable {

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  /** A collector that has not answered in this long is as good as down; the agent has given up too. */
  private static final int READ_TIMEOUT_MILLIS = 60_000;

  private final String host;
  private final int port;
  private final StringBuilder head = new StringBuilder(512);
  private Socket socket;
  private FaultHttpInput in;
  private OutputStream out;

  FaultUpstream(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The answer's body, after {@link #exchange} returned its head. */
  FaultHttpInput input() {
    return in;
  }

  /**
   * Sends one request and reads its answer whole. A kept-alive connection the upstream closed while
   * idle fails on first use, so a failure on a reused connection is tried once more on a new one.
   *
   * @return the final answer's head, its body in {@link #input()}; {@code null} when the upstream
   *     could not be reached or failed mid-exchange
   */
  FaultHead exchange(FaultHead request, byte[] body, int length) {
    boolean reused = socket != null;
    try {
      return tryExchange(request, body, length);
    } catch (IOException | RuntimeException first) {
      close();
      if (!reused) {
        return null;
      }
      try {
        return tryExchange(request, body, length);
      } catch (IOException | RuntimeException second) {
        close();
        return null;
      }
    }
  }

  private FaultHead tryExchange(FaultHead request, byte[] body, int length) throws IOException {
    if (socket == null) {
      connect();
    }
    head.setLength(0);
    request.appendEndToEnd(head);
    head.append("Host: ").append(host).append(':').append(port).append("\r\n");
    head.append("Content-Length: ").append(length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body, 0, length);
    out.flush();
    FaultHead answer = FaultHead.read(in);
    while (answer != null && answer.status() < 200) {
      answer = FaultHead.read(in); // an interim answer (100 Continue) precedes the real one
    }
    if (answer == null) {
      throw new IOException("upstream closed the connection without answering");
    }
    int status = answer.status();
    boolean noBody = request.method().equals("HEAD") || status == 204 || status == 304;
    boolean unframed = !answer.chunked && answer.contentLength < 0 && !noBody;
    if (noBody) {
      answer.contentLength = 0;
      answer.chunked = false;
    }
    in.readBody(answer, true);
    if (answer.close || unframed) {
      close(); // the answer ended with the connection, or the upstream said it will close it
    }
    return answer;
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      s.setSoTimeout(READ_TIMEOUT_MILLIS);
      in = new FaultHttpInput(s.getInputStream());
      out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
      socket = s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // it is being dropped either way
      }
      socket = null;
    }
  }
}
