package io.memtrace.collector.server;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the OTLP/gRPC calls open at once over all connections, so that the messages they may hold
 * (each up to the body limit) stay within the request-body budget that bounds OTLP/HTTP. A call over
 * the bound is refused with RESOURCE_EXHAUSTED before its message is read; exporters retry it.
 */
final class GrpcCalls implements ServerInterceptor {

  private final int max;
  private final AtomicInteger open = new AtomicInteger();

  GrpcCalls(long budget, long maxMessage) {
    this.max = (int) Math.max(1, Math.min(Integer.MAX_VALUE, budget / Math.max(1, maxMessage)));
  }

  int max() {
    return max;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      call.close(Status.RESOURCE_EXHAUSTED.withDescription("the collector has " + max
          + " gRPC calls open, its limit; retry"), new Metadata());
      return new ServerCall.Listener<>() { };
    }
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(call, headers);
    } catch (RuntimeException e) {
      open.decrementAndGet();
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      private boolean done;

      @Override
      public void onComplete() {
        end();
        super.onComplete();
      }

      @Override
      public void onCancel() {
        end();
        super.onCancel();
      }

      private void end() {
        if (!done) {
          done = true;
          open.decrementAndGet();
        }
      }
    };
  }
}
