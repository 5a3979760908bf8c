package io.memtrace.collector.server.http;

import com.sun.net.httpserver.HttpHandler;
import io.memtrace.collector.CriticalThreads;
import io.memtrace.collector.Failures;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collector's hand-written HTTP/1.1 server, kept beside {@link NettyFront} while the two are measured. The JDK's {@code HttpServer} reads request headers and bodies
 * on its handler threads with no deadline, so eight clients sending a byte a second stopped
 * ingest, and every path shared one pool. Here one thread reads every connection without
 * blocking, under the phase deadlines of {@link FrontLimits}, and hands only complete requests
 * to the handler threads of their route's {@link Lane}. Handlers are plain JDK
 * {@link HttpHandler}s.
 */
public final class NioFront implements HttpFront {

  private static final long SWEEP_MILLIS = 250;

  private final FrontLimits limits;
  private final MemoryBudget budget;
  private final Selector selector;
  private final ServerSocketChannel server;
  private final Routes routes = new Routes();
  private final Set<FrontConnection> connections = new HashSet<>();
  private final Queue<FrontConnection> writable = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private final AtomicLong problems = new AtomicLong();
  private volatile boolean open = true;
  private volatile boolean draining;

  public NioFront(InetSocketAddress address, FrontLimits limits) throws IOException {
    this.limits = limits;
    this.budget = new MemoryBudget(limits.bufferBudget());
    this.selector = Selector.open();
    this.server = ServerSocketChannel.open();
    try {
      server.bind(address, 128);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      server.close();
      selector.close();
      throw e;
    }
    this.thread = new Thread(this::loop, "memtrace-http-front");
    this.thread.setDaemon(true);
  }

  /**
   * Sends requests whose path starts with {@code prefix} (the longest matching prefix wins) to
   * {@code handler} on {@code lane}, with bodies of at most {@code maxBody} bytes read for it.
   */
  @Override
  public void route(String prefix, HttpHandler handler, Executor lane, long maxBody) {
    routes.add(prefix, handler, lane, maxBody);
  }

  @Override
  public void start() {
    thread.start();
    CriticalThreads.watch(thread);
  }

  @Override
  public InetSocketAddress address() {
    return (InetSocketAddress) server.socket().getLocalSocketAddress();
  }

  /** Connections refused because {@link FrontLimits#maxConnections()} were open. */
  @Override
  public long refusedConnections() {
    return refused.get();
  }

  /** Connections closed because a phase deadline passed. */
  @Override
  public long timeouts() {
    return timedOut.get();
  }

  /** From now on each connection closes after its current answer. */
  @Override
  public void drain() {
    draining = true;
  }

  @Override
  public long bodyBytesAvailable() {
    return budget.available();
  }

  FrontLimits limits() {
    return limits;
  }

  MemoryBudget budget() {
    return budget;
  }

  boolean draining() {
    return draining;
  }

  void timedOut() {
    timedOut.incrementAndGet();
  }

  /** Requests the front answered itself with an error (bad framing, a body over the limit, no room), timeouts included. */
  @Override
  public long problems() {
    return problems.get();
  }

  void problem() {
    problems.incrementAndGet();
  }

  Routes.Route route(String path) {
    return routes.find(path);
  }

  /** A handler's thread: the connection has bytes to write. */
  void wake(FrontConnection connection) {
    writable.add(connection);
    selector.wakeup();
  }

  void closed(FrontConnection connection) {
    connections.remove(connection);
  }

  private void loop() {
    long nextSweep = System.nanoTime() + SWEEP_MILLIS * 1_000_000;
    while (open) {
      try {
        selector.select(SWEEP_MILLIS);
        FrontConnection ready;
        while ((ready = writable.poll()) != null) {
          ready.onWritable();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          handle(key);
        }
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        if (now - nextSweep > 0) {
          nextSweep = now + SWEEP_MILLIS * 1_000_000;
          for (FrontConnection c : new ArrayList<>(connections)) {
            c.sweep(now);
          }
        }
      } catch (Throwable t) {
        Failures.inThread(t);
      }
    }
  }

  private void handle(SelectionKey key) {
    if (!key.isValid()) {
      return;
    }
    if (key.isAcceptable()) {
      accept();
      return;
    }
    FrontConnection connection = (FrontConnection) key.attachment();
    try {
      if (key.isWritable()) {
        connection.onWritable();
      }
      if (key.isValid() && key.isReadable()) {
        connection.onReadable();
      }
    } catch (IOException e) {
      connection.close();
    }
  }

  private void accept() {
    SocketChannel channel;
    try {
      while ((channel = server.accept()) != null) {
        if (connections.size() >= limits.maxConnections()) {
          refuse(channel);
          continue;
        }
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
        FrontConnection connection = new FrontConnection(this, channel, key);
        key.attach(connection);
        connections.add(connection);
      }
    } catch (IOException e) {
      // a connection that failed while being accepted; the next one may do better
    }
  }

  /** Over the connection limit: a best-effort 503 and the connection closed. */
  private void refuse(SocketChannel channel) {
    refused.incrementAndGet();
    try (channel) {
      channel.configureBlocking(false);
      channel.write(ByteBuffer.wrap(ResponseHead.problem(503, "the collector has " + limits.maxConnections()
          + " connections open, its limit; retry")));
    } catch (IOException ignored) {
      // the client went away already
    }
  }

  @Override
  public void close() {
    CriticalThreads.retire(thread);
    open = false;
    selector.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (FrontConnection c : new ArrayList<>(connections)) {
      c.close();
    }
    try {
      server.close();
      selector.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
