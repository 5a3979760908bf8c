package io.memtrace.bench.stress;

import io.memtrace.bench.stress.FaultProxy.Request;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * One client connection: reads each request whole, does what the current {@link FaultMode} says, and
 * logs the outcome. Its thread owns the socket's buffers and the upstream connection; the proxy only
 * ever closes the socket, which ends the loop.
 */
final class FaultConnection implements Runnable {

  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Socket socket;
  private final Supplier<FaultMode> mode;
  private final FaultUpstream upstream;
  private final FaultLog log;
  private final CRC32 crc = new CRC32();
  private final StringBuilder head = new StringBuilder(512);
  private long answeringAt; // set as the current request's answer starts to be written

  FaultConnection(Socket socket, Supplier<FaultMode> mode, FaultUpstream upstream, FaultLog log) {
    this.socket = socket;
    this.mode = mode;
    this.upstream = upstream;
    this.log = log;
  }

  @Override
  public void run() {
    Request pending = null;
    try (socket; upstream) {
      FaultHttpInput in = new FaultHttpInput(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
      for (FaultHead request = FaultHead.read(in); request != null; request = FaultHead.read(in)) {
        long received = System.currentTimeMillis();
        String path = request.path(); // before the body: a line that is no request ends the connection
        if (request.expectContinue) {
          out.write(CONTINUE);
          out.flush();
        }
        in.readBody(request, false);
        crc.reset();
        crc.update(in.body(), 0, in.bodyLength());
        pending = new Request(received, 0, path, crc.getValue(), in.bodyLength(), -1);
        answeringAt = 0;
        int status = answer(request, in, out);
        log.add(answered(pending, status, answeringAt));
        pending = null;
        if (request.close || status < 0) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client went away, down() closed the socket, or the bytes were not HTTP: this connection
      // ends, the proxy goes on
    }
    if (pending != null) {
      log.add(answered(pending, -1, 0)); // read whole, never answered: the client saw the connection drop
    }
  }

  /**
   * The request as answered. {@code answeringAtMillis} is when the answer's first byte was about to
   * be written, or 0 for now: a stamp taken before the write, so no client can have read the answer
   * earlier, and a retry gap measured from it is never shorter than the client's own wait.
   */
  private static Request answered(Request request, int status, long answeringAtMillis) {
    long at = answeringAtMillis > 0 ? answeringAtMillis : System.currentTimeMillis();
    return new Request(request.receivedAtMillis(), at, request.path(),
        request.bodyCrc(), request.bodyLength(), status);
  }

  /** Answers one request as the mode says; returns the status sent, or -1 for a dropped connection. */
  private int answer(FaultHead request, FaultHttpInput in, OutputStream out) throws IOException {
    FaultMode now = mode.get();
    switch (now.kind()) {
      case DOWN:
        return -1; // down() raced this request: the client sees the connection drop, as down() promises
      case ERROR:
        writeError(out, now.status(), now.retryAfterSeconds(), request.close);
        return now.status();
      default:
        break;
    }
    FaultHead answer = upstream.exchange(request, in.body(), in.bodyLength());
    if (answer == null) {
      writeError(out, 503, 0, request.close); // what a collector that is not there looks like
      return 503;
    }
    if (now.kind() == FaultMode.Kind.SLOW) {
      sleep(now.delayMillis());
      if (clientGone(in)) {
        return -1; // it gave up waiting: an answer written now would be counted yet never read
      }
    }
    FaultHttpInput body = upstream.input();
    answeringAt = System.currentTimeMillis();
    head.setLength(0);
    answer.appendEndToEnd(head);
    head.append("Content-Length: ").append(body.bodyLength()).append("\r\n");
    finishHead(out, request.close);
    out.write(body.body(), 0, body.bodyLength());
    out.flush();
    return answer.status();
  }

  private void writeError(OutputStream out, int status, long retryAfterSeconds, boolean close)
      throws IOException {
    answeringAt = System.currentTimeMillis();
    head.setLength(0);
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    if (retryAfterSeconds > 0) {
      head.append("Retry-After: ").append(retryAfterSeconds).append("\r\n");
    }
    head.append("Content-Length: 0\r\n");
    finishHead(out, close);
    out.flush();
  }

  private void finishHead(OutputStream out, boolean close) throws IOException {
    if (close) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String reason(int status) {
    return switch (status) {
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Fault";
    };
  }

  /** Whether the client closed the connection; looks for its end of stream for a millisecond. */
  private boolean clientGone(FaultHttpInput in) throws IOException {
    socket.setSoTimeout(1);
    try {
      return in.peek() < 0;
    } catch (SocketTimeoutException e) {
      return false; // nothing to read, and still open
    } finally {
      socket.setSoTimeout(0);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
