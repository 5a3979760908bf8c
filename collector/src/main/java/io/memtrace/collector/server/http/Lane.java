package io.memtrace.collector.server.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of handler threads for one kind of request, with a bounded queue: OTLP ingest and the
 * API each get their own, so that slow queries never hold up ingest. A full lane refuses at once
 * (the front answers 503) instead of queueing without end.
 */
public final class Lane implements Executor, AutoCloseable {

  private final ThreadPoolExecutor pool;

  public Lane(String name, int threads, int queue) {
    AtomicInteger count = new AtomicInteger();
    pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code task} on a thread of this lane; throws RejectedExecutionException when the lane is full. */
  @Override
  public void execute(Runnable task) {
    pool.execute(task);
  }

  /** Stops taking work and waits, at most {@code millis}, for what is running. */
  public void close(long millis) {
    pool.shutdown();
    try {
      pool.awaitTermination(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(5_000);
  }
}
