package io.memtrace.collector.server;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.memtrace.collector.server.http.FrontLimits;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The OTLP/gRPC receiver of {@code serve} (port 4317 by default, the OpenTelemetry Collector's), on
 * grpc-java's Netty server. Messages are limited to the body limit of OTLP/HTTP, also after gzip; the
 * calls open at once, to what the request-body budget holds ({@link GrpcCalls}); a connection may carry
 * a few calls at once, and goes after the idle timeout without one.
 */
final class GrpcReceiver implements AutoCloseable {

  /** Calls one connection may have open at once: with HTTP/2's flow-control window, what bounds its memory. */
  static final int CALLS_PER_CONNECTION = 16;

  private final Server server;

  /** Binds and starts; a port in use is a {@link BindException} that names it. */
  GrpcReceiver(InetSocketAddress address, long maxMessage, FrontLimits limits, List<ServerServiceDefinition> services)
      throws IOException {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
        .directExecutor() // the services only hand the message to the ingest lane
        .maxInboundMessageSize((int) Math.min(maxMessage, Integer.MAX_VALUE - 16))
        .maxConcurrentCallsPerConnection(CALLS_PER_CONNECTION)
        .maxConnectionIdle(limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .handshakeTimeout(limits.headerTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .intercept(new GrpcCalls(limits.bufferBudget(), maxMessage));
    services.forEach(builder::addService);
    Server built = builder.build();
    try {
      server = built.start();
    } catch (IOException e) {
      built.shutdownNow();
      BindException bind = new BindException("OTLP/gRPC port " + address.getPort() + " on "
          + address.getAddress().getHostAddress() + " is in use (" + rootMessage(e)
          + "); choose another with --grpc-port, or turn the receiver off with --grpc-port off");
      bind.initCause(e);
      throw bind;
    }
  }

  int port() {
    return server.getPort();
  }

  /** Refuses new calls; those in flight go on. */
  void refuse() {
    server.shutdown();
  }

  /** Refuses new calls, lets those in flight finish (at most {@code millis}), then stops. */
  void close(long millis) {
    server.shutdown();
    try {
      if (!server.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(10_000);
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
