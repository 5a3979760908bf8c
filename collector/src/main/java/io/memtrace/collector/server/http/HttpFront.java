package io.memtrace.collector.server.http;

import com.sun.net.httpserver.HttpHandler;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collector's HTTP/1.1 server, on Netty. It reads every request whole, under the phase deadlines
 * of {@link FrontLimits}, and hands only complete requests to the handler threads of their route's
 * {@link Lane}, so a slow or stalled client holds no thread that others need (the JDK's
 * {@code HttpServer} read headers and bodies on its handler threads with no deadline, and eight
 * clients sending a byte a second stopped ingest). Netty's codec frames requests ({@link FrontDecoder}),
 * one {@link FrontChannel} per connection holds each request until it is whole, and a
 * {@link NettyExchange} gives it to its handler, a plain JDK {@link HttpHandler}. The event-loop
 * threads never wait for a handler or a store.
 */
public final class HttpFront implements AutoCloseable {

  /**
   * The exchange attribute that holds when the front had read the request whole, as a Long of
   * {@link System#nanoTime}; a handler measures how long its client waited from there.
   */
  public static final String RECEIVED_NANOS = "memtrace.received.nanos";

  /** Answers queued past this many bytes make a handler wait until its client reads. */
  static final int HIGH_WATER = 1 << 20;

  private final FrontLimits limits;
  private final MemoryBudget budget;
  private final Routes routes = new Routes();
  private final EventLoopGroup group;
  private final Channel server;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private final AtomicLong problems = new AtomicLong();
  private volatile boolean draining;

  /** Binds {@code address}; connections wait in the backlog until {@link #start}. */
  public HttpFront(InetSocketAddress address, FrontLimits limits) throws IOException {
    this.limits = limits;
    this.budget = new MemoryBudget(limits.bufferBudget());
    int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("memtrace-http-front", true),
        NioIoHandler.newFactory());
    ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 128)
        .option(ChannelOption.AUTO_READ, false) // nothing is accepted before start(), when the routes are in place
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(HIGH_WATER / 4, HIGH_WATER))
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            accept(channel);
          }
        });
    try {
      this.server = bootstrap.bind(address).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e;
    } catch (Exception e) { // the bind's checked exceptions pass through syncUninterruptibly undeclared
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException(e);
    }
  }

  /**
   * Sends requests whose path starts with {@code prefix} (the longest matching prefix wins) to
   * {@code handler} on {@code lane}, with bodies of at most {@code maxBody} bytes read for it.
   */
  public void route(String prefix, HttpHandler handler, Executor lane, long maxBody) {
    routes.add(prefix, handler, lane, maxBody);
  }

  public void start() {
    server.config().setAutoRead(true);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** The address local clients use: a wildcard bind is still reachable on loopback. */
  public URI localUrl() {
    String host = address().getAddress().isAnyLocalAddress() ? "127.0.0.1" : address().getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address().getPort());
  }

  /** Connections refused because {@link FrontLimits#maxConnections()} were open. */
  public long refusedConnections() {
    return refused.get();
  }

  /** Connections closed because a phase deadline passed. */
  public long timeouts() {
    return timedOut.get();
  }

  /** Requests the front answered itself with an error (bad framing, a body over the limit, no room), timeouts included. */
  public long problems() {
    return problems.get();
  }

  /** Bytes of the request-body budget not held by a request now. */
  public long bodyBytesAvailable() {
    return budget.available();
  }

  /** From now on each connection closes after its current answer. */
  public void drain() {
    draining = true;
  }

  FrontLimits limits() {
    return limits;
  }

  MemoryBudget budget() {
    return budget;
  }

  Routes.Route route(String path) {
    return routes.find(path);
  }

  boolean draining() {
    return draining;
  }

  void timedOut() {
    timedOut.incrementAndGet();
  }

  void problem() {
    problems.incrementAndGet();
  }

  private void accept(SocketChannel channel) {
    channel.pipeline().addLast("encoder", new HttpResponseEncoder());
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      refused.incrementAndGet();
      channel.writeAndFlush(HttpProblem.answer(503, "the collector has " + limits.maxConnections()
          + " connections open, its limit; retry")).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    channel.closeFuture().addListener(f -> open.decrementAndGet());
    connections.add(channel);
    FrontChannel connection = new FrontChannel(this);
    channel.pipeline().addFirst("bytes", connection.bytes()).addAfter("bytes", "decoder", new FrontDecoder())
        .addLast("front", connection);
  }

  /** Stops accepting and closes every connection; handlers still running fail at their next write. */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
