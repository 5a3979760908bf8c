package io.memtrace.collector.server.http;

import io.memtrace.collector.Failures;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of the {@link HttpFront}; its event-loop thread owns every field. It
 * collects a request's head (checked by {@link RequestHead}) and body without waiting for them,
 * under the phase deadlines of {@link FrontLimits}, and hands only a complete request to a handler
 * thread. While that request is handled the connection reads nothing more, and what was decoded
 * already waits here, so pipelined requests are answered in order. After an answer that ends the
 * connection it lingers.
 */
final class FrontChannel extends ChannelDuplexHandler {

  private enum Phase { IDLE, HEAD, BODY, HANDLING, LINGER }

  /**
   * After an answer that ends the connection, how long its input is still read and dropped, and how much of it
   * at most: closing a socket with unread bytes makes the kernel send a reset, which can destroy the answer
   * before the client has read it (a client still sending the body of a refused request is the usual case).
   */
  static final long LINGER_MILLIS = 2_000;
  static final long LINGER_BYTES = 16L * 1024 * 1024;
  private static final long SWEEP_MILLIS = 250;

  private final HttpFront front;
  private ChannelHandlerContext ctx;
  private Phase phase = Phase.IDLE;
  private long deadline;
  private final ArrayDeque<Object> waiting = new ArrayDeque<>();
  private HttpRequest request;
  private URI uri;
  private Routes.Route route;
  private BodyBuffer body;
  private boolean dispatched;
  /** The client has shut down its side: what it sent is still answered, then the connection ends. */
  private boolean inputEnded;
  private long lingered;
  private long stalledSince;
  private long lastPending;
  private ScheduledFuture<?> sweep;
  /** Handler threads wait on this while the client reads its answer too slowly. */
  final Object writable = new Object();

  FrontChannel(HttpFront front) {
    this.front = front;
    this.deadline = System.nanoTime() + front.limits().idleTimeout().toNanos();
  }

  /** Sits before the decoder: starts the header deadline at a request's first byte, and drops input while lingering. */
  ChannelInboundHandlerAdapter bytes() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext c, Object msg) {
        if (phase == Phase.LINGER && msg instanceof ByteBuf bytes) {
          lingered += bytes.readableBytes();
          bytes.release();
          if (lingered > LINGER_BYTES) {
            c.close();
          }
          return;
        }
        if (phase == Phase.IDLE && waiting.isEmpty()) {
          phase = Phase.HEAD;
          deadline = System.nanoTime() + front.limits().headerTimeout().toNanos();
        }
        c.fireChannelRead(msg);
      }
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.ctx = context;
    sweep = context.executor().scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    if (phase == Phase.LINGER) {
      ReferenceCountUtil.release(msg);
    } else if (phase == Phase.HANDLING || !waiting.isEmpty()) {
      waiting.add(msg);
    } else {
      process(msg);
    }
  }

  /** Moves the request along by one decoded piece, which this releases. */
  private void process(Object msg) {
    try {
      if (msg instanceof HttpRequest head) {
        start(head);
      }
      if (msg instanceof HttpContent content && phase == Phase.BODY) {
        receive(content);
      }
    } catch (HttpProblem problem) {
      problem(problem.status, problem.getMessage());
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void start(HttpRequest head) throws HttpProblem {
    RequestHead.decoded(head.decoderResult());
    RequestHead.version(head);
    uri = RequestHead.target(head.uri());
    route = front.route(uri.getRawPath());
    if (route == null) {
      throw new HttpProblem(404, "no such path: " + uri.getRawPath());
    }
    boolean chunked = RequestHead.chunked(head);
    long length = RequestHead.length(head, chunked, route.maxBody());
    body = BodyBuffer.reserve(length, chunked, route.maxBody(), front.budget());
    if (body == null) {
      throw new HttpProblem(503, "the collector holds too many request bodies at once; retry");
    }
    request = head;
    dispatched = false;
    phase = Phase.BODY;
    deadline = System.nanoTime() + front.limits().bodyTimeout().toNanos();
    if (HttpUtil.is100ContinueExpected(head) && (chunked || length > 0)) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
  }

  private void receive(HttpContent content) throws HttpProblem {
    if (content.decoderResult().isFailure() && content.decoderResult().cause() instanceof PrematureChannelClosureException) {
      close(); // a request cut off by the end of the stream: nothing to answer
      return;
    }
    RequestHead.decoded(content.decoderResult());
    if (!body.append(content.content())) {
      throw new HttpProblem(503, "the collector holds too many request bodies at once; retry");
    }
    if (body.truncated() || content instanceof LastHttpContent) {
      dispatch();
    }
  }

  private void dispatch() {
    phase = Phase.HANDLING;
    ctx.channel().config().setAutoRead(false);
    boolean closeAfter = !HttpUtil.isKeepAlive(request) || body.truncated();
    dispatched = Routes.submit(route, new NettyExchange(this, request, uri, body, route.context(), closeAfter));
    if (!dispatched) {
      problem(503, "the collector is busy with other requests; retry");
    }
  }

  /** Answers from the front itself and ends the connection after. */
  private void problem(int status, String message) {
    front.problem();
    phase = Phase.HANDLING;
    ctx.channel().config().setAutoRead(false);
    if (body != null && !dispatched) {
      body.release();
    }
    ctx.writeAndFlush(HttpProblem.answer(status, message)).addListener(f -> answered(f.isSuccess(), true));
  }

  /** The event loop: the answer is out (or failed); ends or reuses the connection. */
  void answered(boolean success, boolean closeAfter) {
    stalledSince = 0;
    if (!success) {
      close();
    } else if (closeAfter || front.draining()) {
      linger();
    } else {
      nextRequest();
    }
  }

  private void nextRequest() {
    if (body != null) {
      body.release();
    }
    body = null;
    request = null;
    phase = Phase.IDLE;
    deadline = System.nanoTime() + front.limits().idleTimeout().toNanos();
    while (!waiting.isEmpty() && phase != Phase.HANDLING && ctx.channel().isActive()) {
      process(waiting.poll());
    }
    if (phase != Phase.HANDLING) {
      if (inputEnded) {
        close(); // the requests the client sent before it shut down its side are answered
      } else {
        ctx.channel().config().setAutoRead(true);
      }
    }
  }

  /**
   * Ends the connection after its answer without a reset: the output is shut down (the client reads the
   * answer, then the end), and what the client still sends is read and dropped until it closes too, for
   * {@link #LINGER_MILLIS} or {@link #LINGER_BYTES} at most.
   */
  private void linger() {
    if (inputEnded || !(ctx.channel() instanceof SocketChannel socket)) {
      close();
      return;
    }
    phase = Phase.LINGER;
    dropWaiting();
    deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000;
    socket.shutdownOutput().addListener(f -> {
      if (!f.isSuccess()) {
        close();
      }
    });
    socket.config().setAutoRead(true);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext context, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      inputEnded = true;
      if (phase == Phase.LINGER || phase != Phase.HANDLING && waiting.isEmpty()) {
        close(); // nothing asked, or a request cut off: nothing to answer
      }
    }
    context.fireUserEventTriggered(event);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    synchronized (writable) {
      writable.notifyAll();
    }
    context.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    if (sweep != null) {
      sweep.cancel(false);
    }
    if (body != null && !dispatched) {
      body.release();
    }
    dropWaiting();
    synchronized (writable) {
      writable.notifyAll();
    }
    context.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    if (cause instanceof VirtualMachineError) {
      // Netty's loop would carry on after an OutOfMemoryError; the collector's rule is to exit (Failures)
      Failures.inThread(cause);
    }
    close(); // a reset or a broken pipe: the client has gone
  }

  /** The event loop: ends a connection whose phase ran out of time, or whose client stopped reading its answer. */
  private void sweep() {
    long now = System.nanoTime();
    if (phase == Phase.HANDLING) {
      ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
      long pending = out == null ? 0 : out.totalPendingWriteBytes();
      if (pending == 0 || pending < lastPending) {
        stalledSince = 0;
      } else if (stalledSince == 0) {
        stalledSince = now;
      } else if (now - stalledSince > front.limits().bodyTimeout().toNanos()) {
        front.timedOut();
        close();
      }
      lastPending = pending;
    } else if (now - deadline > 0) {
      if (phase == Phase.IDLE || phase == Phase.LINGER) {
        close();
      } else {
        front.timedOut();
        problem(408, "the request took longer than the " + (phase == Phase.HEAD ? "header" : "body") + " timeout");
      }
    }
  }

  private void dropWaiting() {
    Object msg;
    while ((msg = waiting.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
  }

  boolean draining() {
    return front.draining();
  }

  io.netty.channel.Channel channel() {
    return ctx.channel();
  }

  long bodyTimeoutNanos() {
    return front.limits().bodyTimeout().toNanos();
  }

  private void close() {
    ctx.close();
  }
}
