package io.memtrace.collector.server.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One client connection of the {@link HttpFront}. The front's thread owns the reading side: it
 * collects a request's head and body without ever waiting for them, under the phase deadlines of
 * {@link FrontLimits}, and only a complete request goes to a handler thread. The answer goes the
 * other way: the handler queues bytes ({@link #send}), the front's thread writes them.
 */
final class FrontConnection {

  private enum Phase { IDLE, HEAD, BODY, HANDLING, LINGER }

  /**
   * After an answer that ends the connection, how long its input is still read and dropped, and how much of it
   * at most: closing a socket with unread bytes makes the kernel send a reset, which can destroy the answer
   * before the client has read it (a client still sending the body of a refused request is the usual case).
   */
  static final long LINGER_MILLIS = 2_000;
  static final long LINGER_BYTES = 16L * 1024 * 1024;

  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final NioFront front;
  private final SocketChannel channel;
  private final SelectionKey key;
  private final InetSocketAddress remote;
  private final InetSocketAddress local;

  // the front's thread only
  private final InputBuffer in = new InputBuffer();
  private Phase phase = Phase.IDLE;
  private long deadline;
  private PendingRequest request;
  private long stalledSince;
  /** The client has shut down its side: what it sent is still answered, then the connection ends. */
  private boolean inputEnded;
  private long lingered;
  private ByteBuffer dropped;

  private final Outbox outbox = new Outbox();

  FrontConnection(NioFront front, SocketChannel channel, SelectionKey key) throws IOException {
    this.front = front;
    this.channel = channel;
    this.key = key;
    this.remote = (InetSocketAddress) channel.getRemoteAddress();
    this.local = (InetSocketAddress) channel.getLocalAddress();
    this.deadline = System.nanoTime() + front.limits().idleTimeout().toNanos();
  }

  InetSocketAddress remote() {
    return remote;
  }

  InetSocketAddress local() {
    return local;
  }

  boolean draining() {
    return front.draining();
  }

  /**
   * The front's thread: bytes arrived, or the client shut down its side. A client may send its request and
   * then shut down its output (a half-close): a complete request is still answered, then the connection ends.
   */
  void onReadable() throws IOException {
    if (phase == Phase.LINGER) {
      drop();
      return;
    }
    int n = in.readFrom(channel);
    if (n < 0) {
      inputEnded = true;
      interest(SelectionKey.OP_READ, false);
      if (phase != Phase.HANDLING) {
        close(); // nothing asked, or a request cut off: nothing to answer
      }
      return;
    }
    process();
    if (in.full() && phase == Phase.HANDLING) {
      interest(SelectionKey.OP_READ, false); // pipelined past the buffer: wait for the answer
    }
  }

  /** Moves the request along as far as the bytes received allow. */
  private void process() {
    try {
      if ((phase == Phase.IDLE || phase == Phase.HEAD) && !readHead()) {
        return;
      }
      if (phase == Phase.BODY && request.receive(in)) {
        phase = Phase.HANDLING;
        if (!request.dispatch(this)) {
          problem(503, "the collector is busy with other requests; retry");
        }
      }
    } catch (HttpProblem problem) {
      problem(problem.status, problem.getMessage());
    }
  }

  /** True once the head is complete and the body is set up. */
  private boolean readHead() throws HttpProblem {
    if (in.isEmpty()) {
      return false;
    }
    if (phase == Phase.IDLE) {
      phase = Phase.HEAD;
      deadline = System.nanoTime() + front.limits().headerTimeout().toNanos();
    }
    RequestHead head = in.takeHead();
    if (head == null) {
      return false;
    }
    request = PendingRequest.start(head, front);
    phase = Phase.BODY;
    deadline = System.nanoTime() + front.limits().bodyTimeout().toNanos();
    if (request.waitsToContinue(in)) {
      queue(ByteBuffer.wrap(CONTINUE), false, false);
    }
    return true;
  }

  /** Answers from the front itself and closes the connection after. */
  private void problem(int status, String message) {
    front.problem();
    phase = Phase.HANDLING;
    if (request != null) {
      request.abandon();
    }
    queue(ByteBuffer.wrap(ResponseHead.problem(status, message)), true, true);
  }

  private void queue(ByteBuffer bytes, boolean last, boolean close) {
    try {
      outbox.add(channel, bytes, last, close);
    } catch (IOException gone) {
      close();
      return;
    }
    onWritable();
  }

  /** A handler's thread: sends bytes of the answer; fails when the client has gone. */
  void send(ByteBuffer bytes, boolean last, boolean close) throws IOException {
    boolean frontHasWork;
    try {
      frontHasWork = outbox.add(channel, bytes, last, close);
    } catch (IOException gone) {
      front.wake(this);
      throw gone;
    }
    if (frontHasWork) {
      front.wake(this);
    }
    outbox.awaitRoom(front.limits().bodyTimeout().toNanos());
  }

  /** The front's thread: writes what is queued; when the answer is out, ends or reuses the connection. */
  void onWritable() {
    long written;
    try {
      written = outbox.writeTo(channel);
    } catch (IOException e) {
      close();
      return;
    }
    if (outbox.closed()) {
      return;
    }
    if (written >= 0) {
      // a client that reads nothing runs into the body timeout; one that reads slowly keeps going
      stalledSince = written > 0 || stalledSince == 0 ? System.nanoTime() : stalledSince;
      interest(SelectionKey.OP_WRITE, true);
      return;
    }
    stalledSince = 0;
    interest(SelectionKey.OP_WRITE, false);
    if (outbox.answered() && (outbox.closeAfter() || front.draining())) {
      linger();
    } else if (outbox.answered()) {
      nextRequest();
    }
  }

  private void nextRequest() {
    outbox.reset();
    if (request != null) {
      request.finished();
    }
    request = null;
    phase = Phase.IDLE;
    deadline = System.nanoTime() + front.limits().idleTimeout().toNanos();
    interest(SelectionKey.OP_READ, !inputEnded);
    process();
    if (inputEnded && phase != Phase.HANDLING) {
      close(); // the requests the client sent before it shut down its side are answered
    }
  }

  /**
   * Ends the connection after its answer without a reset: the output is shut down (the client reads the
   * answer, then the end), and what the client still sends is read and dropped until it closes too, for
   * {@link #LINGER_MILLIS} or {@link #LINGER_BYTES} at most.
   */
  private void linger() {
    if (inputEnded) {
      close();
      return;
    }
    try {
      channel.shutdownOutput();
    } catch (IOException e) {
      close();
      return;
    }
    if (request != null) {
      request.abandon();
    }
    phase = Phase.LINGER;
    deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000;
    interest(SelectionKey.OP_READ, true);
    drop();
  }

  private void drop() {
    if (dropped == null) {
      dropped = ByteBuffer.allocate(8 * 1024);
    }
    try {
      int n;
      while ((n = channel.read(dropped.clear())) > 0) {
        lingered += n;
        if (lingered > LINGER_BYTES) {
          close();
          return;
        }
      }
      if (n < 0) {
        close();
      }
    } catch (IOException e) {
      close();
    }
  }

  private void interest(int op, boolean on) {
    if (key.isValid()) {
      key.interestOps(on ? key.interestOps() | op : key.interestOps() & ~op);
    }
  }

  /** The front's thread: ends a connection whose phase ran out of time. */
  void sweep(long now) {
    if (stalledSince != 0 && now - stalledSince > front.limits().bodyTimeout().toNanos()) {
      front.timedOut();
      close();
    } else if (phase != Phase.HANDLING && now - deadline > 0) {
      if (phase == Phase.IDLE || phase == Phase.LINGER) {
        close();
      } else {
        front.timedOut();
        problem(408, "the request took longer than the " + (phase == Phase.HEAD ? "header" : "body") + " timeout");
      }
    }
  }

  /** Closes the connection; a handler still answering on it fails at its next write. */
  void close() {
    if (outbox.closed()) {
      return;
    }
    outbox.close();
    if (request != null) {
      request.abandon();
    }
    key.cancel();
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing more to say to this client
    }
    front.closed(this);
  }
}
